"""A job's run: claim -> research -> collect -> propose -> auto-apply -> notify -> metrics, and the job API."""

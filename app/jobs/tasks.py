"""Celery tasks of the jobs domain."""

"""Celery tasks of the ops domain."""

"""Sending Celery tasks by name, only after the transaction that needs them commits."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import Celery
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_KEY = "after_commit_tasks"

# The Celery app tasks are sent with: the worker module's (app.worker), which every entry point imports.
celery_app: Celery | None = None


def use_celery_app(app: Celery) -> None:
    """Send tasks with ``app`` from now on."""
    global celery_app
    celery_app = app


def current_celery_app() -> Celery:
    """The Celery app tasks are sent with; a clear error when no entry point has set one."""
    if celery_app is None:
        raise RuntimeError("no Celery app to send tasks with: import app.worker first")
    return celery_app


def enqueue_after_commit(
    session: Session, task_name: str, *args: Any, on_failure: Callable[[], None] | None = None, **options: Any
) -> None:
    """Queue ``task_name(*args)`` to be sent once ``session`` commits; dropped if it rolls back."""
    session.info.setdefault(_KEY, []).append((task_name, args, {**options, "on_failure": on_failure}))


def send_task(task_name: str, *args: Any, on_failure: Callable[[], None] | None = None, **options: Any) -> None:
    """Send now. A broker that is down is logged, not raised: the sweeper sends pending jobs later.

    ``on_failure`` runs when the send fails, so the caller can record it (a job marks itself unsent)."""
    celery_app = current_celery_app()
    try:
        if celery_app.conf.task_always_eager:
            celery_app.loader.import_default_modules()  # registers the task modules in this process
            celery_app.tasks[task_name].apply(args=args, **options)
        else:
            celery_app.send_task(task_name, args=args, **options)
    except Exception:
        if celery_app.conf.task_always_eager:
            raise
        log.exception("could not send task %s; it stays pending for the sweeper", task_name)
        if on_failure is not None:
            try:
                on_failure()
            except Exception:
                log.exception("could not record the failed send of task %s", task_name)


@event.listens_for(Session, "after_commit")
def _send_queued(session: Session) -> None:
    for task_name, args, options in session.info.pop(_KEY, []):
        send_task(task_name, *args, **options)


@event.listens_for(Session, "after_rollback")
def _drop_queued(session: Session) -> None:
    session.info.pop(_KEY, None)

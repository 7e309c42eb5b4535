"""The Celery app: `celery -A app.worker worker` and `celery -A app.worker beat`.

Its tasks are the modules of TASK_MODULES, and nothing else registers them. Every entry point imports this
module: the API and the scheduler send tasks by name through its app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import after_setup_logger, worker_init, worker_process_init, worker_process_shutdown

from app.core.config import Settings, get_settings
from app.core.logging import configure_logging
from app.core.queue import use_celery_app

TASK_MODULES = ["app.pipeline.tasks", "app.ops.tasks"]


def _broker_options(settings: Settings) -> dict[str, Any]:
    if settings.broker_url.startswith("redis"):
        # Ten priority levels, so a job's priority (0-10) orders the queue.
        return {"priority_steps": list(range(10)), "sep": ":", "queue_order_strategy": "priority"}
    if not settings.broker_url.startswith("filesystem"):
        return {}
    # The serverless quickstart broker: messages are files in one folder.
    folder = Path(settings.broker_folder)
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }


def create_celery(settings: Settings | None = None) -> Celery:
    settings = settings or get_settings()
    app = Celery("artitec", broker=settings.broker_url, include=TASK_MODULES)
    app.conf.update(
        broker_transport_options=_broker_options(settings),
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        # A job's task is acknowledged only when it finished: a worker that dies mid-job gives it back.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_always_eager=settings.run_tasks_eagerly,
        task_eager_propagates=True,
        timezone="UTC",
        enable_utc=True,
        worker_hijack_root_logger=False,
    )
    from app.ops.schedules import beat_schedule

    app.conf.beat_schedule = beat_schedule(settings)
    return app


celery_app = create_celery()
use_celery_app(celery_app)
if celery_app.conf.task_always_eager:
    # In-process runs (tests) execute tasks where they are sent: load them with the app, not in the first request.
    celery_app.loader.import_default_modules()


def _setup_logging(**_kwargs: Any) -> None:
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)


def _map_every_table(**_kwargs: Any) -> None:
    # Before a worker's first query; beat, which queries nothing, starts without the tables.
    import app.models  # noqa: F401


def _fresh_engine_per_process(**_kwargs: Any) -> None:
    # A forked worker must not share the parent's database connections.
    from app.core.db import get_engine

    get_engine().dispose(close=False)


def _stop_browsers(**_kwargs: Any) -> None:
    # A pool process may leave without running atexit handlers: the browsers it started go with it.
    from app.research.render import shutdown_browsers

    shutdown_browsers()


# Connected by call rather than decorator: Celery's signal decorators are untyped.
after_setup_logger.connect(_setup_logging)
worker_init.connect(_map_every_table)
worker_process_init.connect(_fresh_engine_per_process)
worker_process_shutdown.connect(_stop_browsers)

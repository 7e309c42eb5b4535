"""Structured JSON logs; the job id rides along as context where there is one."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter

current_job_id: ContextVar[str | None] = ContextVar("current_job_id", default=None)


_base_factory = logging.getLogRecordFactory()


def _record_with_job_id(*args: Any, **kwargs: Any) -> logging.LogRecord:
    # At record creation, so every handler (JSON, Celery's, pytest's) sees the job id.
    record = _base_factory(*args, **kwargs)
    job_id = current_job_id.get()
    if job_id is not None:
        record.job_id = job_id
    return record


logging.setLogRecordFactory(_record_with_job_id)


def configure_logging(level: str = "INFO", json_logs: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json_logs:
        handler.setFormatter(
            JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", rename_fields={"levelname": "level"})
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())

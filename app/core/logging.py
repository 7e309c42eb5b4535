"""Structured JSON logs; the job id rides along as context where there is one."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

current_job_id: ContextVar[str | None] = ContextVar("current_job_id", default=None)


class _JobContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        job_id = current_job_id.get()
        if job_id is not None and not hasattr(record, "job_id"):
            record.job_id = job_id
        return True


def configure_logging(level: str = "INFO", json_logs: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json_logs:
        handler.setFormatter(
            JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", rename_fields={"levelname": "level"})
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(_JobContextFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())

"""Logs are JSON lines an aggregator can parse, and a job's lines carry its id."""

from __future__ import annotations

import json
import logging

import pytest

from app.core.logging import configure_logging, current_job_id


def test_log_lines_are_json_with_the_job_id(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        configure_logging("INFO", json_logs=True)
        token = current_job_id.set("JOB-1699564234-ABC123")
        try:
            logging.getLogger("app.pipeline.tasks").info("job running")
        finally:
            current_job_id.reset(token)
        logging.getLogger("app.ops").warning("outside a job")
    finally:
        root.handlers, root.level = saved_handlers, saved_level

    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    assert [(line["level"], line["message"], line.get("job_id")) for line in lines] == [
        ("INFO", "job running", "JOB-1699564234-ABC123"),
        ("WARNING", "outside a job", None),
    ]

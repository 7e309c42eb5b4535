"""Settings are read at the entry points and passed in; domain code never reads them itself."""

from __future__ import annotations

import ast
from pathlib import Path

import app

APP = Path(app.__file__).parent

# Where get_settings() may be called: the settings' own package, the API and worker processes, the CLI and
# its subcommands, and the Celery tasks.
ENTRY_POINTS = {
    "core",
    "main.py",
    "worker.py",
    "cli.py",
    "pipeline/tasks.py",
    "ops/tasks.py",
    "matching/csv_tool.py",
}


def _reads_settings(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)) == "get_settings"
    ]


def _allowed(relative: Path) -> bool:
    return relative.as_posix() in ENTRY_POINTS or relative.parts[0] in ENTRY_POINTS


def test_only_entry_points_call_get_settings() -> None:
    readers = {
        f"{relative.as_posix()}:{line}"
        for path in APP.rglob("*.py")
        if not _allowed(relative := path.relative_to(APP))
        for line in _reads_settings(path)
    }
    assert readers == set(), "pass the settings in from the entry point instead"


def test_the_guard_sees_a_call() -> None:
    assert _reads_settings(APP / "ops" / "tasks.py")  # the check would notice a call where it looks

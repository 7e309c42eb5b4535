"""Files written whole: a run that fails part way leaves what was there before, never half a file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def written_whole(path: Path) -> Iterator[TextIO]:
    """``path`` opened for writing text. A regular file (or a new one) is written beside its place and moved there
    when complete, so a failure (a full disk, an interrupt) leaves the earlier file as it was and no partial one;
    a device or a pipe ("/dev/stdout") is written directly, as it cannot be replaced."""
    if path.exists() and not path.is_file():
        with path.open("w", encoding="utf-8", newline="") as fh:
            yield fh
        return
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)

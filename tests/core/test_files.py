"""Files written whole: a failure part way leaves the earlier file and no partial one."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.files import written_whole


def test_a_file_is_replaced_only_when_written_whole(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text("earlier output\n")

    with pytest.raises(OSError), written_whole(path) as fh:
        fh.write("half of the new")
        raise OSError(28, "No space left on device")

    assert path.read_text() == "earlier output\n"
    assert [p.name for p in tmp_path.iterdir()] == ["links.csv"]  # no partial file left beside it

    with written_whole(path) as fh:
        fh.write("the new output\n")
    assert path.read_text() == "the new output\n"
    assert [p.name for p in tmp_path.iterdir()] == ["links.csv"]


def test_a_device_is_written_directly(tmp_path: Path) -> None:
    # /dev/null cannot be replaced by a file (nor should it be): it is written as it is.
    with written_whole(Path("/dev/null")) as fh:
        fh.write("discarded")
    assert Path("/dev/null").is_char_device()

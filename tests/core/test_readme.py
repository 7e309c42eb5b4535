"""The README documents every setting and names commands the Makefile has."""

from __future__ import annotations

import re
from pathlib import Path

from app.core.config import Settings
from app.matching.csv_tool import ALIASES

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_has_a_row_in_the_configuration_table() -> None:
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `(ARTITEC_[A-Z0-9_]+)` \|", readme, flags=re.MULTILINE))
    expected = {f"ARTITEC_{name.upper()}" for name in Settings.model_fields}

    missing = sorted(expected - documented)
    assert not missing, f"add these settings to the README's configuration table: {missing}"
    assert not documented - expected, f"the README documents settings that do not exist: {documented - expected}"


def test_readme_commands_are_makefile_targets() -> None:
    readme = (ROOT / "README.md").read_text()
    targets = set(re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), flags=re.MULTILINE))

    for command in ("quickstart", "test"):
        assert f"make {command}" in readme
        assert command in targets


def test_every_column_field_is_named_where_the_readme_explains_column() -> None:
    readme = (ROOT / "README.md").read_text()
    paragraph = readme[readme.index("- `--column FIELD=HEADER`") :].split("\n- ", 1)[0]
    named = set(re.findall(r"`([a-z0-9_]+)`", paragraph))
    missing = sorted(set(ALIASES) - named)
    assert not missing, f"name these --column fields in the README: {missing}"
    assert not named - set(ALIASES), f"the README names fields --column refuses: {named - set(ALIASES)}"

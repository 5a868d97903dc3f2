"""`.env.example` names every setting the environment can set, so that an operator finds them in one place."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def names_read_by_settings() -> set[str]:
    source = (ROOT / "lokalkomp" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env(?:_bool|_list)?\(\s*"([A-Z][A-Z0-9_]*)"', source))
    # The OpenID Connect providers' settings are read with a prefix per provider.
    for provider in re.findall(r'\(\("(\w+)", "[^"]+"\), \("(\w+)", "[^"]+"\), \("(\w+)", "[^"]+"\)\)', source):
        for name in provider:
            prefix = f"OIDC_{name.upper()}_"
            names |= {prefix + suffix for suffix in re.findall(r'env\(prefix \+ "([A-Z_]+)"', source)}
    return names


def names_in_example() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_every_setting_read_from_the_environment_is_in_env_example():
    read = names_read_by_settings()
    assert {"DATABASE_URL", "OIDC_FEIDE_CLIENT_ID", "TASKS_BACKEND"} <= read  # the reading itself works
    assert sorted(read - names_in_example()) == []


def test_env_example_names_nothing_the_settings_do_not_read():
    assert sorted(names_in_example() - names_read_by_settings()) == []

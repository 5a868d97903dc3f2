"""A fresh clone passes its tests with nothing beside it; the real seeds are reference tests only.

The project carries its reference data (the municipality register, with its licence and source)
and writes its own test forms (forms.py). The tests on the real seed documents in ../shared skip
with their reason where it is missing, and fail in CI (LOKALKOMP_REQUIRE_SHARED=1). No real
person's contact data from the seeds is in the repository.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from conftest import require_shared_dir
from lokalkomp.directory.models import Municipality
from lokalkomp.directory.registers import REGISTER_FILES

REPOSITORY = Path(__file__).resolve().parents[3]
NOT_SOURCE = {".git", ".venv", "var", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def test_without_shared_the_reference_tests_skip_and_say_why(settings, tmp_path, monkeypatch) -> None:
    settings.SHARED_DIR = tmp_path
    monkeypatch.delenv("LOKALKOMP_REQUIRE_SHARED", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Reference test: the real seed documents are not in"):
        require_shared_dir()


def test_in_ci_a_missing_shared_directory_fails_the_reference_tests(settings, tmp_path, monkeypatch) -> None:
    settings.SHARED_DIR = tmp_path
    monkeypatch.setenv("LOKALKOMP_REQUIRE_SHARED", "1")
    with pytest.raises(pytest.fail.Exception, match="LOKALKOMP_REQUIRE_SHARED=1 requires them"):
        require_shared_dir()


def test_ci_requires_the_reference_tests() -> None:
    ci = (REPOSITORY / ".ci" / "run").read_text(encoding="utf-8")
    assert "export LOKALKOMP_REQUIRE_SHARED=1" in ci


def test_the_register_is_the_projects_own_with_its_licence_and_source() -> None:
    data = REGISTER_FILES[0].parent
    assert data == REPOSITORY / "lokalkomp" / "directory" / "data"
    assert all(path.is_file() for path in REGISTER_FILES)
    assert "Permission is hereby granted" in (data / "LICENSE-norge-data.txt").read_text(encoding="utf-8")
    assert "aprestmo/norge-data" in (data / "README.md").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_make_demo_loads_all_357_municipalities_with_nothing_beside_the_checkout(settings, tmp_path) -> None:
    settings.SHARED_DIR = tmp_path / "no-shared-here"
    call_command("loaddemo", "--with-register", stdout=io.StringIO())
    assert Municipality.objects.count() == 357
    assert Municipality.objects.get(number="1820").name == "Alstahaug"


def _people_in_the_seeds(seeds: Path) -> set[str]:
    """Names, e-mail addresses and phone numbers of the people the seed documents name."""
    found: set[str] = set()
    for path in seeds.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        addresses = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text))
        found |= addresses
        # "first.last@…" names its person too.
        found |= {
            " ".join(address.split("@")[0].split(".")).title() for address in addresses if "." in address.split("@")[0]
        }
        lines = [" ".join(line.split()) for line in text.splitlines()]
        for index, line in enumerate(lines):
            if line.startswith("Telefon "):
                found |= {token for token in line.split()[1:] if re.fullmatch(r"[0-9]{8}", token)}
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if line.startswith("Navn ") and following.startswith("Funksjon "):  # the contacts table: two names
                words = line.split()[1:]
                found |= {" ".join(words[:2]), " ".join(words[2:])}
            if named := re.match(r"([A-ZÆØÅ][\w]+(?: [A-ZÆØÅ][\w]+)+): \S+@", line):  # "Name: address"
                found.add(named.group(1))
            if line.startswith("Hovedtillitsvalgt ") and "Klikk" not in line:
                found.add(line.removeprefix("Hovedtillitsvalgt "))
            for above in lines[max(index - 2, 0) : index] if "@" in line else []:  # "• Name" above an address
                if above.startswith("• "):
                    found.add(above.removeprefix("• "))
            if " & " in line and line.endswith(", HINN"):  # the presenters of a slide deck
                found |= {name.strip() for name in line.removesuffix(", HINN").split("&")}
    return found


def _source_files() -> list[Path]:
    files = []
    for path in REPOSITORY.rglob("*"):
        if path.is_file() and not NOT_SOURCE & set(path.relative_to(REPOSITORY).parts):
            files.append(path)
    return files


def test_no_real_persons_contact_data_from_the_seeds_is_in_the_repository(shared_dir: Path) -> None:
    people = _people_in_the_seeds(shared_dir / "seeds")
    assert len(people) >= 10  # the seeds' contacts, presenters and union representative
    leaks = []
    for path in _source_files():
        try:
            text = path.read_text(encoding="utf-8").casefold()
        except (UnicodeDecodeError, OSError):
            continue
        leaks += [f"{path.relative_to(REPOSITORY)}: {who}" for who in people if who.casefold() in text]
    assert leaks == []

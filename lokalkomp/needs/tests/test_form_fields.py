"""One field renderer (needs/_field.html) and one rule per field, on every page of the form.

Every field has the id `id`, its message area `msg-<id>` and its help `help-<id>`, and aria-describedby
names them: the autosaved fields, the forms that add rows and the first save of a new measure alike.
A form that adds a row refuses what autosave refuses, with the same message.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from lokalkomp.needs.models import Contact, Participant
from lokalkomp.testing import make_measure, mark_reauthenticated


class Fields(HTMLParser):
    """The page's ids, its fields (text, e-mail, select, textarea) and its groups of choices (fieldset)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.fields: list[dict[str, str]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if "id" in found:
            self.ids.add(found["id"])
        typed = tag == "input" and found.get("type", "text") in {"text", "email"}
        group = tag == "fieldset" and found.get("id", "").startswith("f-")
        if typed or tag in {"select", "textarea"} or group:
            self.fields.append(found | {"tag": tag})


@pytest.fixture
def owner(client: Client, cast) -> Client:
    client.force_login(cast.owner_contact)
    mark_reauthenticated(client, cast.owner_contact)
    return client


def pages(cast) -> list[str]:
    measure = make_measure(cast.report, 1_000, 0, name="Lesing")
    sections = [reverse("needs:edit_section", args=[cast.report.pk, s]) for s in ("partnership", "measures", "union")]
    return [
        *sections,
        reverse("needs:edit_section", args=[cast.report.pk, "units"]),
        reverse("needs:measure", args=[cast.report.pk, measure.pk]),
        reverse("needs:add_measure", args=[cast.report.pk]),
    ]


def test_every_field_names_its_message_and_its_help_by_its_own_id(owner, cast):
    checked = 0
    for url in pages(cast):
        page = Fields(owner.get(url).content.decode())
        checked += len(page.fields)
        for field in page.fields:
            own = field["id"].removeprefix("f-") if field["tag"] == "fieldset" else field["id"]
            described = field.get("aria-describedby", "").split()
            assert described[-1:] == [f"msg-{own}"], (url, field)
            assert described[:-1] in ([], [f"help-{own}"]), (url, field)
            assert set(described) <= page.ids, (url, field)
    assert checked > 40  # the autosaved fields, the forms' fields and the new measure's


def test_the_forms_that_add_rows_use_the_same_ids_as_the_autosaved_fields(owner, cast):
    page = owner.get(reverse("needs:edit_section", args=[cast.report.pk, "partnership"])).content.decode()
    for name in ("side", "name", "org_number", "kind", "account_number"):
        assert f'<label class="ds-label" for="participant-{name}">' in page
        assert f'<div id="msg-participant-{name}" class="lk-msg"' in page
    assert 'id="help-participant-kind"' in page
    new = owner.get(reverse("needs:add_measure", args=[cast.report.pk])).content.decode()
    assert re.search(r'<input[^>]*id="new-name" name="new:name"[^>]*aria-describedby="help-new-name msg-new-name"', new)


def message_in(response, dom_id: str) -> str:
    text = html.unescape(response.content.decode()).replace("\u00a0", " ")
    found = re.search(rf'<div id="msg-{dom_id}" class="lk-msg"[^>]*><p[^>]*data-field="validation">([^<]+)</p>', text)
    return found[1] if found else ""


@pytest.mark.parametrize(
    ("field", "typed"),
    [("email", "a@localhost"), ("phone", "1234567"), ("name", "x" * 201), ("name", "\u200b"), ("function", "a\x01b")],
)
def test_adding_a_contact_refuses_what_autosave_refuses_with_the_same_message(owner, cast, field, typed):
    contact = Contact.objects.filter(participant__partnership=cast.report.partnership).first()
    key = f"contact:{contact.pk}:{field}"
    saved = owner.post(
        reverse("needs:save", args=[cast.report.pk]),
        {"key": key, key: typed, f"base:{key}": getattr(contact, field)},
        headers={"HX-Request": "true"},
    )
    lead = Participant.objects.get(partnership=cast.report.partnership, side="owner", is_lead=True)
    added = owner.post(
        reverse("needs:add_row", args=[cast.report.pk, "contact"]),
        {"contact-participant": lead.pk, "contact-name": "Kari"} | {f"contact-{field}": typed},
    )
    assert (saved.status_code, added.status_code) == (422, 422)
    autosave_message = message_in(saved, key.replace(":", "-"))
    assert autosave_message
    assert message_in(added, f"contact-{field}") == autosave_message

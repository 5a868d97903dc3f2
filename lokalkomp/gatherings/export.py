"""A gathering's results as an Excel workbook: an overview, then one sheet per activity.

Each activity's sheet has what the presenter's view showed (the words and their counts, the bars,
who moved where), then every response the room could see (hidden and unapproved ones are left
out). A gathering has a handful of activities and at most a few thousand responses, so openpyxl's
write-only workbook is enough; the needs reports' streaming writer is for the national lists.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .access import get_gathering_for
from .models import Activity, Gathering, GroupTask, Response
from .results import Results, results_of

SHEET_TITLE_UNSAFE = re.compile(r"[\[\]:*?/\\]")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    """A cell whose text is never read as a formula, without the characters XML cannot hold."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:32_767]
    result = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        result.data_type = "s"  # «=SUM(...)» typed on a phone stays text
    if bold:
        result.font = Font(bold=True)
    return result


def row(sheet: WriteOnlyWorksheet, *values: Any, bold: bool = False) -> None:
    sheet.append([cell(sheet, v, bold=bold) for v in values])


def workbook_of(gathering: Gathering) -> bytes:
    book = Workbook(write_only=True)
    activities = list(gathering.activities.all())
    overview = book.create_sheet(_("Overview")[:31])
    row(overview, gathering.title, bold=True)
    row(overview, _("Date"), gathering.date.strftime("%d.%m.%Y"))
    row(overview, _("Place"), f"{gathering.get_place_kind_display()} {gathering.place}".strip())
    row(overview, _("Round"), str(gathering.round))
    row(overview)
    row(overview, "#", _("Activity"), _("Kind"), _("Responses"), bold=True)
    sheets = []
    for number, activity in enumerate(activities, start=1):
        results = results_of(activity)
        row(overview, number, activity.question, activity.get_kind_display(), results.total)
        sheets.append((number, activity, results))
    for number, activity, results in sheets:
        title = SHEET_TITLE_UNSAFE.sub("", f"{number} {activity.get_kind_display()}")[:31]
        _activity_sheet(book.create_sheet(title), activity, results)
    for number, task in enumerate(gathering.tasks.all(), start=len(sheets) + 1):
        title = SHEET_TITLE_UNSAFE.sub("", f"{number} {task.title}")[:31]
        _task_sheet(book.create_sheet(title), task)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _activity_sheet(sheet: WriteOnlyWorksheet, activity: Activity, results: Results) -> None:
    row(sheet, activity.question, bold=True)
    for word in results.words:
        row(sheet, word["text"], word["count"])
    for bar in results.bars:
        row(sheet, bar.label, bar.count, f"{bar.percent} %")
    for game_round in results.rounds:
        row(sheet, _("Round %(n)s") % {"n": game_round["number"]}, game_round["total"], bold=True)
        for bar in game_round["bars"]:
            row(sheet, bar.label, bar.count, f"{bar.percent} %")
    if results.moved:
        row(sheet, _("Who moved where"), bold=True)
        for move in results.moved:
            row(sheet, f"{move['before']} → {move['after']}", move["count"])
    if results.mean is not None:
        row(sheet, _("Average"), round(results.mean, 2))
    row(sheet)
    header = [_("Table"), _("Round"), _("Position"), _("Answer"), _("Time")]
    row(sheet, *(header + ([_("Name")] if activity.asks_name else [])), bold=True)
    labels = dict(Response.Position.choices)
    for response in Response.objects.filter(activity=activity).shown().order_by("table", "created", "pk"):
        response.activity = activity  # read by display(), without a query per row
        answer = response.display() if not response.position else response.text
        values = [
            response.table,
            response.round,
            str(labels.get(response.position, "")),
            answer,
            timezone.localtime(response.created).replace(tzinfo=None),
        ]
        row(sheet, *(values + ([response.name] if activity.asks_name else [])))


def _task_sheet(sheet: WriteOnlyWorksheet, task: GroupTask) -> None:
    """A group task: one row per group and question, with the group's answer."""
    row(sheet, task.title, str(task.get_level_display()), bold=True)
    row(sheet)
    row(sheet, _("Group"), _("Table"), _("Question"), _("Answer"), bold=True)
    questions = task.question_list
    for group in task.groups.prefetch_related("answers"):
        answers = group.answers_by_key()
        for question in questions:
            answer = answers.get(question["key"])
            row(sheet, group.name, group.table, question["title"], answer.text if answer else "")


@require_GET
@login_required
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The gathering's results for its organisers (the room's view of them: nothing hidden or unapproved)."""
    gathering = get_gathering_for(request.user, pk, write=True)
    response = HttpResponse(workbook_of(gathering), content_type=XLSX)
    name = slugify(f"{gathering.title[:60]} {gathering.date:%Y-%m-%d}") or "samling"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response

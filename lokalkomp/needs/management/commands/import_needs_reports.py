"""manage.py import_needs_reports FILE… --round nordland/2024 [--dry-run] [--json]"""

from __future__ import annotations

import json
import re
import traceback
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper, no_translations
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalkomp.needs.importer import ImportFileError, ParsedReport, read_needs_report
from lokalkomp.needs.importer.text import check_upload_size
from lokalkomp.needs.imports import (
    SUM,
    ImportOutcome,
    ImportRejected,
    ReportExistsError,
    import_report,
    outcome_as_dict,
)
from lokalkomp.needs.models import Totals
from lokalkomp.schemes.models import Round, Scheme
from lokalkomp.templatetags.nor import NBSP, format_kroner

_ROUND = re.compile(r"^\s*([A-Za-z0-9-]+)\s*/\s*([0-9]{4})\s*$")
_NAME_WIDTH = 48
_AMOUNT_WIDTH = 14


def kr(value: int | None) -> str:
    """ "kr 1 544 000", with plain spaces for a terminal."""
    return format_kroner(value).replace(NBSP, " ")


def find_round(spec: str) -> Round:
    match = _ROUND.match(spec)
    if not match:
        raise CommandError(
            _("Give the round as <office>/<year>, for example nordland/2024, not “%(spec)s”.") % {"spec": spec}
        )
    round = Round.objects.select_related("office").filter(office__slug=match.group(1), year=int(match.group(2))).first()
    if round is None:
        known = ", ".join(
            f"{r.office.slug}/{r.year}" for r in Round.objects.select_related("office").order_by("office__slug", "year")
        )
        raise CommandError(
            _("There is no round %(spec)s. Known rounds: %(known)s.") % {"spec": spec.strip(), "known": known or "—"}
        )
    return round


class Command(BaseCommand):
    help = "Import filled-in needs reports (.docx, .pdf or .txt) into a round as draft reports."
    show_tracebacks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="Needs report files to import.")
        parser.add_argument("--round", required=True, help="The round as <office>/<year>, e.g. nordland/2024.")
        parser.add_argument("--dry-run", action="store_true", help="Read and check the files; save nothing.")
        parser.add_argument("--json", action="store_true", help="Print one JSON document; log lines go to stderr.")

    @no_translations  # one language on the console, whatever LANGUAGE_CODE says
    def handle(self, *args: Any, **options: Any) -> None:
        round = find_round(options["round"])
        self.show_tracebacks = int(options["verbosity"]) > 1
        dry_run, as_json = bool(options["dry_run"]), bool(options["json"])
        log = self.stderr if as_json else self.stdout
        results = [self._import_file(path, round, dry_run, as_json) for path in options["files"]]
        if as_json:
            document = {"round": f"{round.office.slug}/{round.year}", "dry_run": dry_run, "files": results}
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        failed = [result["file"] for result in results if not result["ok"]]
        if failed:
            raise CommandError(
                _("%(failed)s of %(all)s files could not be imported: %(files)s.")
                % {"failed": len(failed), "all": len(results), "files": ", ".join(failed)}
            )
        if dry_run:
            log.write(_("Dry run: %(count)s read, nothing was saved.") % {"count": _files(len(results))})
        else:
            log.write(_("%(count)s imported.") % {"count": _files(len(results))})

    def _import_file(self, path: Path, round: Round, dry_run: bool, as_json: bool) -> dict[str, Any]:
        """One file's result; an error in one file is reported and the next file is read."""
        try:
            check_upload_size(path.stat().st_size)
            parsed = read_needs_report(path.name, path.read_bytes())
            outcome = import_report(parsed, round=round, by=None, dry_run=dry_run, filename=path.name)
        except ReportExistsError as error:  # the command line is the office's own: it may name the report
            return self._failed(
                path, _("%(reason)s It is report no. %(id)s.") % {"reason": error, "id": error.report.pk}
            )
        except (ImportFileError, ImportRejected) as error:
            return self._failed(path, str(error))
        except OSError as error:
            return self._failed(path, _("The file could not be read: %(error)s") % {"error": error.strerror or error})
        except Exception as error:  # one broken file must not stop the others
            if self.show_tracebacks:
                self.stderr.write(traceback.format_exc())
            return self._failed(path, _("Unexpected error: %(error)s") % {"error": f"{type(error).__name__}: {error}"})
        if as_json:
            self.stderr.write(f"{path.name}: {self._summary(outcome)}", style_func=lambda text: text)
        else:
            self._print_outcome(path.name, outcome, parsed)
        return outcome_as_dict(path.name, outcome, parsed)

    def _failed(self, path: Path, message: str) -> dict[str, Any]:
        self.stderr.write(_("%(file)s: could not be imported. %(error)s") % {"file": path.name, "error": message})
        return {"file": path.name, "ok": False, "error": message}

    def _summary(self, outcome: ImportOutcome) -> str:
        where = _("report no. %(id)s") % {"id": outcome.report.pk} if outcome.report else _("dry run")
        unplaced = ngettext("%(count)s line not placed", "%(count)s lines not placed", len(outcome.unplaced))
        return _("%(count)s measures, %(total)s, %(unplaced)s (%(where)s)") % {
            "count": len(outcome.measures),
            "total": kr(outcome.grand_total.total),
            "unplaced": unplaced % {"count": len(outcome.unplaced)},
            "where": where,
        }

    def _print_outcome(self, filename: str, outcome: ImportOutcome, parsed: ParsedReport) -> None:
        out = self.stdout
        if outcome.report is not None:
            heading = _("%(file)s: draft needs report no. %(id)s for «%(partnership)s»") % {
                "file": filename,
                "id": outcome.report.pk,
                "partnership": outcome.partnership,
            }
        else:
            heading = _("%(file)s (dry run): would be a draft needs report for «%(partnership)s»") % {
                "file": filename,
                "partnership": outcome.partnership,
            }
        out.write(self.style.SUCCESS(heading))
        out.write("  " + _("Network: %(network)s") % {"network": outcome.network or "—"})
        for name in outcome.new_organisations:
            out.write("  " + _("New organisation: %(name)s") % {"name": name})
        self._print_measures(out, outcome)
        self._print_totals(out, outcome)
        self._print_notes(out, _("Could not be placed:"), outcome.unplaced)
        self._print_notes(out, _("Warnings:"), outcome.warnings)

    def _print_measures(self, out: OutputWrapper, outcome: ImportOutcome) -> None:
        out.write(_row("#", _("Measure"), _("Owner"), "UH", _("Total")))
        for measure in outcome.measures:
            number = getattr(measure, "position", None) or getattr(measure, "number", "")
            totals = Totals(measure.owner_amount, measure.partner_amount)
            out.write(_row(str(number), measure.name, *_money(totals)))

    def _print_totals(self, out: OutputWrapper, outcome: ImportOutcome) -> None:
        names = {scheme.code: scheme.short_name for scheme in Scheme.objects.all()}
        out.write(_row("", _("Totals per scheme"), _("Owner"), "UH", _("Total")))
        for code, totals in outcome.totals.items():
            out.write(_row("", names.get(code, code), *_money(totals)))
        out.write(_row("", _("All schemes"), *_money(outcome.grand_total)))
        if outcome.declared_totals:
            out.write(_row("", _("Totals as the form states them"), _("Owner"), "UH", _("Total")))
        for key, row in outcome.declared_totals.items():
            label = _("Sum, all schemes") if key == SUM else names.get(key, key)
            out.write(_row("", label, kr(row.owner), kr(row.partner), kr(row.total)))

    def _print_notes(self, out: OutputWrapper, heading: str, notes: list[str]) -> None:
        if notes:
            out.write("  " + heading)
        for note in notes:
            out.write("    " + note.replace("\n", "\n    "))


def _files(count: int) -> str:
    return ngettext("%(count)s file", "%(count)s files", count) % {"count": count}


def _money(totals: Totals) -> tuple[str, str, str]:
    return kr(totals.owner), kr(totals.partner), kr(totals.total)


def _row(number: str, name: str, owner: str, partner: str, total: str) -> str:
    if len(name) > _NAME_WIDTH:
        name = name[: _NAME_WIDTH - 1] + "…"
    amounts = "".join(f"{amount:>{_AMOUNT_WIDTH}}" for amount in (owner, partner, total))
    return f"  {number:>2}  {name:<{_NAME_WIDTH}}{amounts}"

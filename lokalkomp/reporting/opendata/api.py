"""The open data's JSON and CSV API (django-ninja), with its OpenAPI schema at `openapi.json`.

No login: everything here is public. The interactive docs page is off (it loads Swagger UI from a CDN,
which the CSP forbids); the schema is served as JSON and docs/api.md says how to use it. Every list is
paginated (limit/offset, both bounded so that no number reaches the database unchecked) and is read in a
fixed number of queries. Bad input is a JSON 4xx: 422 for a value that does not validate, 404 for an
office or round that does not exist.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase, paginate

from lokalkomp.schemes.models import Round

from . import csv as opendata_csv
from . import queries

SLUG = r"^[-a-zA-Z0-9_]+$"
LIMIT_MAX = 500
OFFSET_MAX = 10**9

api = NinjaAPI(
    title="lokalkomp open data",
    version="1",
    description="Granted funds per office and year: frames, decisions per recipient and scheme. No personal data.",
    urls_namespace="reporting:opendata_api",
    docs_url=None,
    docs_decorator=require_GET,
)


class Error(Schema):
    detail: Any


ERRORS: dict[int, Any] = {404: Error, 422: Error}
CSV_RESPONSE = {"responses": {200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}}


class Page(PaginationBase):
    """Limit and offset, both bounded; the page says how many there are in all."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=LIMIT_MAX)
        offset: int = Field(0, ge=0, le=OFFSET_MAX)

    class Output(Schema):
        items: list[Any]
        count: int

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        end = pagination.offset + pagination.limit
        count = len(queryset) if isinstance(queryset, list) else int(queryset.count())
        return {"items": queryset[pagination.offset : end], "count": count}


class OfficeOut(Schema):
    slug: str
    name: str


class RoundOut(Schema):
    office: str
    office_name: str
    year: int
    granted: int


class GrantOut(Schema):
    decision: str
    kind: str
    decided_on: dt.date
    recipient: str
    org_number: str
    side: str
    scheme: str
    scheme_name: str
    network: str
    measure: str
    amount: int
    owner_amount: int
    uh_amount: int


class FrameOut(Schema):
    scheme: str
    scheme_name: str
    frame: int | None
    pool: int
    extra: int
    granted: int


OfficeSlug = Path(..., pattern=SLUG, max_length=60)
Year = Path(..., ge=queries.YEAR_MIN, le=queries.YEAR_MAX)


class RoundFilter(Schema):
    office: str | None = Field(None, pattern=SLUG, max_length=60)


def _round(office: str, year: int) -> Round:
    found = queries.find_round(office, year)
    if found is None:
        raise HttpError(404, "No such round.")
    return found


def _round_out(r: Any) -> dict[str, Any]:
    return {"office": r.office.slug, "office_name": r.office.name, "year": r.year, "granted": int(r.granted)}


class RoundRows:
    """A round queryset as rows, sliced and counted in the database (the page reads two queries)."""

    def __init__(self, queryset: Any, row: Any) -> None:
        self.queryset, self.row = queryset, row

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [self.row(item) for item in self.queryset[page]]

    def count(self) -> int:
        return int(self.queryset.count())


@api.get("/offices", response={200: list[OfficeOut], **ERRORS}, url_name="opendata_api_offices")
@paginate(Page)
def list_offices(request: HttpRequest) -> Any:
    """The Statsforvalter offices."""
    return queries.offices()


@api.get("/rounds", response={200: list[RoundOut], **ERRORS}, url_name="opendata_api_rounds")
@paginate(Page)
def list_rounds(request: HttpRequest, filters: Query[RoundFilter]) -> Any:
    """The rounds (office × year), newest first, with what was granted in each; `office` filters by office."""
    return RoundRows(queries.rounds(filters.office), _round_out)


@api.get("/rounds/{office}/{year}", response={200: RoundOut, **ERRORS}, url_name="opendata_api_round")
def get_round(request: HttpRequest, office: str = OfficeSlug, year: int = Year) -> Any:
    """One round and what was granted in it."""
    found = queries.rounds(office).filter(year=year).first()
    if found is None:
        raise HttpError(404, "No such round.")
    return _round_out(found)


@api.get("/rounds/{office}/{year}/grants", response={200: list[GrantOut], **ERRORS}, url_name="opendata_api_grants")
@paginate(Page)
def list_grants(request: HttpRequest, office: str = OfficeSlug, year: int = Year) -> Any:
    """The round's grants: one per decision line, with the recipient, its organisation number, the scheme, the
    network, the measure's title and the amount (split as the owner's or the UH's)."""
    return RoundRows(queries.grant_lines(_round(office, year)), queries.grant_row)


@api.get("/rounds/{office}/{year}/frames", response={200: list[FrameOut], **ERRORS}, url_name="opendata_api_frames")
@paginate(Page)
def list_frames(request: HttpRequest, office: str = OfficeSlug, year: int = Year) -> Any:
    """Per scheme of the round: Udir's frame, the pool's and the extra money's lines, and what was granted."""
    return queries.frame_rows(_round(office, year))


@api.get(
    "/rounds/{office}/{year}/grants.csv",
    response={**ERRORS},
    url_name="opendata_api_grants_csv",
    openapi_extra=CSV_RESPONSE,
)
def grants_csv(request: HttpRequest, office: str = OfficeSlug, year: int = Year) -> HttpResponse:
    """The round's grants as CSV (UTF-8, comma-separated, a header line; the columns of `grants`)."""
    found = _round(office, year)
    rows = (queries.grant_row(line) for line in queries.grant_lines(found).iterator(chunk_size=2000))
    return _csv(opendata_csv.write(opendata_csv.GRANT_COLUMNS, rows), f"tildelinger-{found.office.slug}-{year}")


@api.get(
    "/rounds/{office}/{year}/frames.csv",
    response={**ERRORS},
    url_name="opendata_api_frames_csv",
    openapi_extra=CSV_RESPONSE,
)
def frames_csv(request: HttpRequest, office: str = OfficeSlug, year: int = Year) -> HttpResponse:
    """The round's frames as CSV (the columns of `frames`)."""
    found = _round(office, year)
    return _csv(opendata_csv.write(opendata_csv.FRAME_COLUMNS, queries.frame_rows(found)), f"rammer-{year}")


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response

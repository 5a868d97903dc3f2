"""schemathesis against the open data API, in process (the project's WSGI app, no live server): every
operation of the OpenAPI schema, with generated input, answers no 500 and nothing that breaks the schema
(status code, content type, body). A fixed seed and a bounded number of examples keep it quick and the same
on every run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from .opendata_helpers import decided

SCHEMA = "/apne-data/api/v1/openapi.json"
EXAMPLES = 20


@pytest.fixture
def wsgi_app(settings) -> Iterator[WSGIHandler]:  # noqa: F811
    """The project's WSGI app, sharing the test's database transaction (as Django's test client does)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_the_api_answers_every_generated_request_within_its_schema(cast, wsgi_app):
    decided(cast)  # a round with grants, so that the lists have rows to check
    schema = schemathesis.openapi.from_wsgi(SCHEMA, wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7
    # 404 for a well-formed office or year that has no round is documented, not a rejection of valid data.
    excluded = [positive_data_acceptance]
    calls: list[int] = []
    for operation in operations:

        @seed(20241)
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call()
            calls.append(response.status_code)
            case.validate_response(response, excluded_checks=excluded)

        check()
    print(f"schemathesis: {len(calls)} calls, statuses {sorted(set(calls))}")
    assert 500 not in calls
    assert 200 in calls and len(calls) >= len(operations)

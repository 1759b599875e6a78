"""A bounded schemathesis run against the served /api/v1/openapi.json: no 5xx, and every answer conforms."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from app.directory import listings, search

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 25  # per operation: nine operations, well under a minute together


@pytest.fixture
def served(app, build):
    for n in range(3):
        build.service(name=f"Gardening group {n}", weekly=[(n, "10:00", "12:00")])
    search.rebuild_index(listings.all_services_for_index())
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_every_operation_answers_within_its_description(served):
    operations = [result.ok() for result in served.get_all_operations()]
    assert len(operations) == 9
    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call()
            case.validate_response(response, checks=CHECKS)

        run()

"""Schema-driven testing: every operation in the OpenAPI description, fed generated input with the
roles' credentials, never answers 5xx and never breaks its documented response schema.
Bounded (a few examples per operation) so CI stays fast."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from api.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SCHEMA = schemathesis.openapi.from_dict(create_app().openapi())


@SCHEMA.parametrize()
@settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_responses_match_the_schema(case, client, world):
    who = "employer" if case.path.startswith("/employer") else "admin"
    request = case.as_transport_kwargs(base_url="http://testserver", headers=world.headers[who])
    request.pop("timeout", None)
    response = client.request(**request)
    response.request.read()  # multipart uploads are streamed; the checks look at the request body
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

from tests.selfreferral.conftest import journey_token, refer  # noqa: F401  (shared fixtures)

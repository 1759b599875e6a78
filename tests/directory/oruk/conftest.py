"""Fixtures for the ORUK API tests: the demo directory, and validators built from the shipped schemas."""
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from app.demo.loader import load_demo
from app.directory import listings, search
from app.directory.oruk import openapi


@pytest.fixture
def demo(app, db):
    load_demo()
    search.rebuild_index(listings.all_services_for_index())
    return db


def validator(name):
    """A validator for one shipped schema (taxonomy's link to taxonomy_term resolved from the shipped file)."""
    registry = Registry().with_resource("urn:oruk:taxonomy_term",
                                        Resource.from_contents(openapi.schema("taxonomy_term"),
                                                               default_specification=_spec()))
    schema = dict(openapi.schema(name))
    if name == "taxonomy":
        schema["properties"] = dict(schema["properties"])
        schema["properties"]["taxonomy_terms"] = {"type": "array", "items": {"$ref": "urn:oruk:taxonomy_term"}}
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _spec():
    from referencing.jsonschema import DRAFT202012
    return DRAFT202012


def assert_valid(name, record):
    errors = sorted(validator(name).iter_errors(record), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.fixture
def api(client):
    """GET an API address; the JSON body, after checking the status."""
    def _get(path, status=200, **kwargs):
        response = client.get(f"/api/v1{path}", **kwargs)
        assert response.status_code == status, (path, response.status_code, response.get_data(as_text=True)[:500])
        return response.get_json()
    return _get

"""`flask directory export-oruk DIR`: every exported record validates; a bad folder is one line, not a trace."""
import json

from tests.directory.oruk.conftest import assert_valid

KINDS = {"services.json": "service", "service_at_locations.json": "service_at_location",
         "taxonomies.json": "taxonomy", "taxonomy_terms.json": "taxonomy_term"}


def test_export_writes_every_kind_and_every_record_validates(app, build, runner, tmp_path):
    shown = build.service(name="Chair yoga", weekly=[(1, "10:00", "11:00")])
    hidden = build.service(name="Unfinished", status="draft")
    result = runner.invoke(args=["directory", "export-oruk", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "services.json (1)" in result.output
    for name, kind in KINDS.items():
        records = json.loads((tmp_path / "out" / name).read_text(encoding="utf-8"))
        assert records
        for record in records:
            assert_valid(kind, record)
    services = json.loads((tmp_path / "out" / "services.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in services] == [shown.uuid] and hidden.uuid not in str(services)
    orgs = json.loads((tmp_path / "out" / "organizations.json").read_text(encoding="utf-8"))
    assert [o["id"] for o in orgs] == [shown.organisation.uuid]


def test_a_bad_folder_is_one_line(app, runner, tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    result = runner.invoke(args=["directory", "export-oruk", str(a_file)])
    assert result.exit_code == 1 and "is a file, not a folder" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    result = runner.invoke(args=["directory", "export-oruk", str(a_file / "below")])
    assert result.exit_code == 1 and "Could not make the folder" in result.output

"""Ids never change when a listing is edited, a change is approved or an old version is restored."""
from datetime import date

from app.directory import history, moderation
from app.directory.snapshots import snapshot_organisation, snapshot_service


def _ids(api, service):
    full = api(f"/services/{service.uuid}")
    links = [(link["id"], link["location"]["id"]) for link in full.get("service_at_locations", [])]
    return {"service": full["id"], "organization": full["organization"]["id"], "links": links,
            "schedules": sorted(s["id"] for s in full.get("schedules", [])),
            "contacts": [c["id"] for c in full.get("contacts", [])]}


def test_ids_survive_edits_approvals_and_restores(app, db, build, api):
    manager = build.user("manager")
    provider = build.user("provider")
    service = build.service(name="Walk and talk", weekly=[(0, "10:00", "11:00")],
                            events=[(date(2027, 1, 5), "18:00", "19:00", "New year walk")])
    before = _ids(api, service)
    assert before["links"] and len(before["schedules"]) == 2

    moderation.apply_directly("service", service, {"name": "Walk and talk on Mondays"}, manager)
    db.session.commit()
    assert _ids(api, service) == before

    revision = moderation.propose("service", service, {**snapshot_service(service), "description": "New words."},
                                  provider)
    db.session.commit()
    moderation.approve(revision, manager)
    db.session.commit()
    assert _ids(api, service) == before
    assert api(f"/services/{service.uuid}")["description"] == "New words."

    org = service.organisation
    moderation.apply_directly("organisation", org, {**snapshot_organisation(org), "name": "Renamed group"}, manager)
    db.session.commit()
    assert _ids(api, service) == before

    first = next(v for v in history.versions("service", service.id) if (v.after or {}).get("name") == "Walk and talk")
    history.restore(first, manager)
    db.session.commit()
    assert _ids(api, service) == before
    assert api(f"/services/{service.uuid}")["name"] == "Walk and talk"


def test_a_schedule_moved_to_another_day_is_a_new_schedule(app, db, build, api):
    manager = build.user("manager")
    service = build.service(weekly=[(0, "10:00", "11:00"), (2, "10:00", "11:00")])
    before = _ids(api, service)
    snapshot = snapshot_service(service)
    snapshot["schedules"][1]["weekday"] = 3
    moderation.apply_directly("service", service, {"schedules": snapshot["schedules"]}, manager)
    db.session.commit()
    after = _ids(api, service)
    assert len(set(after["schedules"]) & set(before["schedules"])) == 1
    assert after["service"] == before["service"] and after["links"] == before["links"]

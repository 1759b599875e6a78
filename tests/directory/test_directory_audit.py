"""Directory work is in the admin's audit log: approvals, send-backs, restores and CSV imports, by whom, with ids
and counts only."""
from sqlalchemy import select

from app.core.audit import AuditEvent
from app.directory import history, moderation
from app.directory.csv import COLUMNS, import_csv
from tests.directory.test_csv_io import _csv


def _events(db, *actions):
    return [(e.action, e.user_id, e.detail) for e in db.session.execute(
        select(AuditEvent).where(AuditEvent.action.in_(actions)).order_by(AuditEvent.id)).scalars()]


def test_approving_sending_back_and_restoring_are_audited(app, db, build):
    manager, provider = build.user("manager"), build.user("provider")
    org = build.organisation()
    listing = build.service(org, name="Tea club")
    first = build.pending_change(listing, provider, description="Now on Fridays too.")
    with app.test_request_context():
        moderation.approve(first, manager)
        db.session.commit()
        second = build.pending_change(listing, provider, description="Closed for good.")
        moderation.send_back(second, manager, "Please say when it closes")
        db.session.commit()
        history.restore(first, manager)
        db.session.commit()
    assert _events(db, "change_approve", "change_send_back", "change_restore") == [
        ("change_approve", manager.id, f"revision={first.id} service={listing.id}"),
        ("change_send_back", manager.id, f"revision={second.id} service={listing.id}"),
        ("change_restore", manager.id, f"revision={first.id} service={listing.id}"),
    ]


def test_a_refused_send_back_is_not_audited(app, db, build):
    manager, provider = build.user("manager"), build.user("provider")
    change = build.pending_change(build.service(build.organisation()), provider, description="x")
    with app.test_request_context():
        try:
            moderation.send_back(change, manager, "   ")
        except moderation.ModerationError:
            db.session.rollback()
    assert _events(db, "change_send_back") == []


def test_a_csv_import_is_audited_with_counts_and_a_dry_run_is_not(app, db, build):
    manager = build.user("manager")
    org = build.organisation(name="Heath Friends")
    data = _csv([{"organisation_slug": org.slug, "name": "Walk and talk", "categories": "talk-befriending",
                  "status": "published"}], COLUMNS)
    assert import_csv(data, dry_run=True, user=manager).ok
    assert _events(db, "csv_import") == []
    report = import_csv(data, dry_run=False, user=manager)
    assert report.applied, report.problems
    assert _events(db, "csv_import") == [
        ("csv_import", manager.id, "rows=1 new=1 updated=0 unchanged=0 organisations=0")]


def test_the_audit_log_names_the_new_actions_and_filters_by_them(client, build, login, db, app):
    admin = build.user("admin")
    login(admin)
    with app.test_request_context():
        import_csv(_csv([{"organisation_slug": build.organisation().slug, "name": "Choir",
                          "categories": "talk-befriending"}], COLUMNS), dry_run=False, user=admin)
    page = client.get("/admin/audit?action=csv_import")
    assert page.status_code == 200
    assert "Listings imported from a CSV file" in page.get_data(as_text=True)
    for action in ("change_approve", "change_send_back", "change_restore", "invitation_send", "invitation_resend",
                   "translation_edit", "translation_upload", "language_added"):
        assert client.get(f"/admin/audit?action={action}").status_code == 200, action

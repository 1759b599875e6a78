"""listing versions: version numbers, what a waiting change was based on, before and after of each version;
a sent-back change is the provider's draft; a first version recorded for every published listing

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-01 15:20:00

"""
import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0015'
branch_labels = None
depends_on = None

OLD_STATUSES = ("pending", "applied", "rejected", "superseded")
NEW_STATUSES = ("pending", "applied", "sent_back", "superseded")
SERVICE_FIELDS = ("name", "description", "access_method", "access_text", "eligibility", "min_age", "max_age",
                  "audience", "cost_type", "cost_text", "formats", "languages", "accessibility", "capacity_status",
                  "capacity_note", "contact_name", "contact_role", "contact_phone", "contact_email", "status")
CODE_LISTS = {"audience", "formats", "languages", "accessibility"}


def _status_check(batch_op, values):
    listed = ", ".join(f"'{value}'" for value in values)
    batch_op.create_check_constraint(op.f("ck_revision_status"), f"status IN ({listed})")


def upgrade():
    for table in ("service", "organisation"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_revision_status"), type_="check")
        batch_op.add_column(sa.Column('base_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('base_json', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('before_json', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('after_json', sa.Text(), nullable=True))
    op.execute("UPDATE revision SET status = 'sent_back' WHERE status = 'rejected'")
    with op.batch_alter_table('revision', schema=None) as batch_op:
        _status_check(batch_op, NEW_STATUSES)
    # A version that went live kept its whole listing as its snapshot.
    op.execute("UPDATE revision SET after_json = snapshot_json WHERE status = 'applied'")
    _record_first_versions(op.get_bind())


def _t(value):
    return value.strftime("%H:%M") if hasattr(value, "strftime") else str(value)[:5]


def _codes(value):
    return value.split() if value else []


def _service_snapshot(conn, row):
    """The same JSON as app.directory.snapshots.snapshot_service, read with plain SQL."""
    data = {name: (_codes(row[name]) if name in CODE_LISTS else row[name]) for name in SERVICE_FIELDS}
    data["categories"] = sorted(code for (code,) in conn.execute(sa.text(
        "SELECT c.code FROM category c JOIN service_category sc ON sc.category_id = c.id "
        "WHERE sc.service_id = :id"), {"id": row["id"]}))
    data["locations"] = sorted(lid for (lid,) in conn.execute(sa.text(
        "SELECT location_id FROM service_at_location WHERE service_id = :id"), {"id": row["id"]}))
    schedule = sa.table("schedule", sa.column("service_id", sa.Integer), sa.column("kind", sa.String),
                        sa.column("weekday", sa.Integer), sa.column("event_date", sa.Date),
                        sa.column("opens_at", sa.Time), sa.column("closes_at", sa.Time),
                        sa.column("title", sa.String), sa.column("note", sa.String),
                        sa.column("location_id", sa.Integer))
    rows = conn.execute(sa.select(schedule).where(schedule.c.service_id == row["id"])).mappings()
    data["schedules"] = sorted(
        ({"kind": s["kind"], "weekday": s["weekday"],
          "event_date": s["event_date"].isoformat() if s["event_date"] else None,
          "opens_at": _t(s["opens_at"]), "closes_at": _t(s["closes_at"]), "title": s["title"] or "",
          "note": s["note"] or "", "location_id": s["location_id"]} for s in rows),
        key=lambda s: (s["kind"], s["weekday"] if s["weekday"] is not None else -1, s["event_date"] or "",
                       s["opens_at"]))
    return data


def _record_first_versions(conn):
    """Every published listing with no version in its history gets its live state as the first version,
    so the first approved change to it can be undone."""
    service = sa.table("service", *(sa.column(name) for name in SERVICE_FIELDS), sa.column("id", sa.Integer),
                       sa.column("organisation_id", sa.Integer), sa.column("created_at", sa.DateTime))
    recorded = sa.select(sa.text("1")).select_from(sa.table("revision", sa.column("entity_id"))).where(sa.text(
        "revision.entity_type = 'service' AND revision.entity_id = service.id AND revision.status = 'applied' "
        "AND revision.kind != 'verify'"))
    rows = conn.execute(sa.select(service).where(service.c.status == "published", ~sa.exists(recorded))).mappings()
    revision = sa.table("revision", sa.column("entity_type"), sa.column("entity_id"), sa.column("organisation_id"),
                        sa.column("kind"), sa.column("status"), sa.column("snapshot_json"),
                        sa.column("after_json"), sa.column("version"), sa.column("submitted_at", sa.DateTime),
                        sa.column("decided_at", sa.DateTime), sa.column("reason"))
    for row in list(rows):
        snapshot = json.dumps(_service_snapshot(conn, row), sort_keys=True, default=str)
        conn.execute(revision.insert().values(
            entity_type="service", entity_id=row["id"], organisation_id=row["organisation_id"], kind="published",
            status="applied", snapshot_json=snapshot, after_json=snapshot, version=1, reason="",
            submitted_at=row["created_at"], decided_at=row["created_at"]))


def downgrade():
    op.execute("DELETE FROM revision WHERE kind = 'published'")
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_revision_status"), type_="check")
    op.execute("UPDATE revision SET status = 'rejected' WHERE status = 'sent_back'")
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_column('after_json')
        batch_op.drop_column('before_json')
        batch_op.drop_column('version')
        batch_op.drop_column('base_json')
        batch_op.drop_column('base_version')
        _status_check(batch_op, OLD_STATUSES)
    for table in ("organisation", "service"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')

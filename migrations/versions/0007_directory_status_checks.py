"""directory status checks: a listing's and a change's status can only be one of the known values

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-01 09:30:00

The allowed moves between statuses are checked in app/directory/models/statuses.py; the database
holds the lists themselves, so no other writer (a script, a console) can store a status the code
does not know.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

CHECKS = {
    "service": ("draft", "published", "archived"),
    "revision": ("pending", "applied", "rejected", "superseded"),
}


def upgrade():
    # Batch mode: SQLite can only add a CHECK constraint by copying the table; PostgreSQL alters it in place.
    for table, values in CHECKS.items():
        listed = ", ".join(f"'{value}'" for value in values)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f"ck_{table}_status"), f"status IN ({listed})")


def downgrade():
    for table in CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_status"), type_="check")

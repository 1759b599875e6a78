"""join request status: only pending, approved or declined

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-01 09:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

STATUSES = "status IN ('pending', 'approved', 'declined')"


def upgrade():
    # Batch mode: SQLite can only add a CHECK constraint by rebuilding the table.
    with op.batch_alter_table('join_request', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_join_request_status'), STATUSES)


def downgrade():
    with op.batch_alter_table('join_request', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_join_request_status'), type_='check')

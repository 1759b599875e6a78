"""referral status check

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:30:00

A referral's status can only be one of the five the service uses (app.selfreferral.models.ReferralStatus).
Batch mode, so SQLite rebuilds the table with the constraint; PostgreSQL adds it in place.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

STATUSES = ("new", "triaged", "contacted", "allocated", "closed")  # as they were at this revision


def upgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_referral_status'), "status IN (" + ", ".join(f"'{status}'" for status in STATUSES) + ")")


def downgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_referral_status'), type_='check')

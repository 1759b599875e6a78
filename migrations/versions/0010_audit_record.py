"""audit_record: an audit event names its record (a referral's HG- reference), and actions are filterable

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 11:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record', sa.String(length=60), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
    # Events already logged show the referral's reference too.
    op.execute("UPDATE audit_event SET record = (SELECT r.reference FROM referral r WHERE r.id = audit_event.referral_id)"
               " WHERE referral_id IS NOT NULL AND EXISTS (SELECT 1 FROM referral r WHERE r.id = audit_event.referral_id)")


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))
        batch_op.drop_column('record')

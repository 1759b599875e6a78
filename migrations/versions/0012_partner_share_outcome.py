"""partner_share_outcome: why a referral was shared, and what the partner reports back

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referral_share', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_encrypted', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('outcome_note_encrypted', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('outcome_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('outcome_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_referral_share_outcome_by_id_user', 'user', ['outcome_by_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('referral_share', schema=None) as batch_op:
        batch_op.drop_constraint('fk_referral_share_outcome_by_id_user', type_='foreignkey')
        batch_op.drop_column('outcome_by_id')
        batch_op.drop_column('outcome_at')
        batch_op.drop_column('outcome_note_encrypted')
        batch_op.drop_column('outcome')
        batch_op.drop_column('reason_encrypted')

"""saved_draft_link: one-use e-mailed links to a referral draft saved to finish later

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'saved_draft_link',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('draft_id', sa.String(length=43), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['draft_id'], ['referral_draft.id'],
                                name=op.f('fk_saved_draft_link_draft_id_referral_draft'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_saved_draft_link')),
    )
    with op.batch_alter_table('saved_draft_link') as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_draft_link_draft_id'), ['draft_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_saved_draft_link_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('saved_draft_link') as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_draft_link_expires_at'))
        batch_op.drop_index(batch_op.f('ix_saved_draft_link_draft_id'))
    op.drop_table('saved_draft_link')

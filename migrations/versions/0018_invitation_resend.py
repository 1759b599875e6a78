"""invitation_resend: an invitation can be sent again; the version in its link makes older links stop working

Revision ID: 0018
Revises: 0014
Create Date: 2026-12-01 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('sent_at')
        batch_op.drop_column('link_version')

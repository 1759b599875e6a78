"""location.nearest_station: the station nearest a place, shown with its directions

Revision ID: 0015
Revises: 0019
Create Date: 2026-12-01 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('location') as batch_op:
        batch_op.add_column(sa.Column('nearest_station', sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table('location') as batch_op:
        batch_op.drop_column('nearest_station')

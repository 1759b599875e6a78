"""listing_text_changed: when a listing's English words last changed, so older translations show as needing updating

Revision ID: 0020
Revises: 0016
Create Date: 2026-12-01 16:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('service') as batch:
        batch.add_column(sa.Column('text_changed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('service') as batch:
        batch.drop_column('text_changed_at')

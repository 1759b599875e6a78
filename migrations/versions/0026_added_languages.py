"""added_language: languages started on the web, whose catalogue files a deploy from git does not carry

Revision ID: 0026
Revises: 0020
Create Date: 2026-12-01 19:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'added_language',
        sa.Column('code', sa.String(length=20), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('added_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['added_by_id'], ['user.id'], name=op.f('fk_added_language_added_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('code', name=op.f('pk_added_language')),
    )


def downgrade():
    op.drop_table('added_language')

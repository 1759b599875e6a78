"""search_synonym_edit: translators' edits to the search synonym lists, over the shipped files

Revision ID: 0024_search_synonyms
Revises: 0023
Create Date: 2026-12-01 19:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024_search_synonyms'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_synonym_edit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=20), nullable=False),
        sa.Column('group_key', sa.String(length=16), nullable=False),
        sa.Column('triggers', sa.JSON(), nullable=True),
        sa.Column('expansions', sa.JSON(), nullable=True),
        sa.Column('removed', sa.Boolean(), nullable=False),
        sa.Column('shipped_line', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('current', sa.Boolean(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_search_synonym_edit_user_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_synonym_edit')),
        sa.UniqueConstraint('language', 'group_key', 'version', name=op.f('uq_search_synonym_edit_language')),
    )
    with op.batch_alter_table('search_synonym_edit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_synonym_edit_current'), ['current'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_synonym_edit_at'), ['at'], unique=False)


def downgrade():
    with op.batch_alter_table('search_synonym_edit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_synonym_edit_at'))
        batch_op.drop_index(batch_op.f('ix_search_synonym_edit_current'))
    op.drop_table('search_synonym_edit')

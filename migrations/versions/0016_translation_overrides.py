"""translation_override: translators' edits kept in the database over the shipped catalogues; review notes

Revision ID: 0016
Revises: 0017
Create Date: 2026-12-01 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'translation_override',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=20), nullable=False),
        sa.Column('message_key', sa.String(length=12), nullable=False),
        sa.Column('context', sa.Text(), nullable=False),
        sa.Column('msgid', sa.Text(), nullable=False),
        sa.Column('msgid_plural', sa.Text(), nullable=False),
        sa.Column('strings', sa.JSON(), nullable=True),
        sa.Column('shipped_strings', sa.JSON(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('current', sa.Boolean(), nullable=False),
        sa.Column('source', sa.String(length=12), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_translation_override_user_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_translation_override')),
        sa.UniqueConstraint('language', 'message_key', 'version', name=op.f('uq_translation_override_language')),
    )
    with op.batch_alter_table('translation_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_translation_override_current'), ['current'], unique=False)
        batch_op.create_index(batch_op.f('ix_translation_override_at'), ['at'], unique=False)
    with op.batch_alter_table('language_review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('language_review', schema=None) as batch_op:
        batch_op.drop_column('note')
    with op.batch_alter_table('translation_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_translation_override_at'))
        batch_op.drop_index(batch_op.f('ix_translation_override_current'))
    op.drop_table('translation_override')

"""translation_review: providers' translations wait for a check unless their organisation is trusted; a manager's
edits to a change before approving it are kept beside the provider's proposal

Revision ID: 0022_translation_review
Revises: 0026
Create Date: 2026-12-01 19:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_translation_review'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation') as batch:
        batch.add_column(sa.Column('translations_trusted', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('revision') as batch:
        batch.add_column(sa.Column('edits_json', sa.Text(), nullable=True))
    op.create_table(
        'translation_change',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('service_id', sa.Integer(), sa.ForeignKey('service.id', ondelete='CASCADE'), nullable=False),
        sa.Column('language', sa.String(20), nullable=False),
        sa.Column('name', sa.String(200), nullable=False, server_default=''),
        sa.Column('description', sa.Text(), nullable=False, server_default=''),
        sa.Column('access_text', sa.Text(), nullable=False, server_default=''),
        sa.Column('eligibility', sa.Text(), nullable=False, server_default=''),
        sa.Column('status', sa.String(12), nullable=False, server_default='pending'),
        sa.Column('submitted_by_id', sa.Integer(), sa.ForeignKey('user.id', ondelete='SET NULL'), nullable=True),
        sa.Column('submitted_at', sa.DateTime(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), sa.ForeignKey('user.id', ondelete='SET NULL'), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False, server_default=''),
        sa.CheckConstraint("status IN ('pending', 'applied', 'sent_back', 'superseded')",
                           name=op.f('ck_translation_change_status')),
    )
    op.create_index('ix_translation_change_service_id', 'translation_change', ['service_id'])
    op.create_index('ix_translation_change_status', 'translation_change', ['status'])


def downgrade():
    op.drop_index('ix_translation_change_status', table_name='translation_change')
    op.drop_index('ix_translation_change_service_id', table_name='translation_change')
    op.drop_table('translation_change')
    with op.batch_alter_table('revision') as batch:
        batch.drop_column('edits_json')
    with op.batch_alter_table('organisation') as batch:
        batch.drop_column('translations_trusted')

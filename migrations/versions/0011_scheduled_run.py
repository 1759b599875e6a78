"""scheduled_run: each run of a scheduled job, claimed once per (job, slot) so two workers never both run it

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'scheduled_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job', sa.String(length=40), nullable=False),
        sa.Column('slot', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('outcome', sa.String(length=10), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('worker', sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('job', 'slot', name='uq_scheduled_run_job_slot'),
    )
    with op.batch_alter_table('scheduled_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheduled_run_finished_at'), ['finished_at'], unique=False)


def downgrade():
    with op.batch_alter_table('scheduled_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheduled_run_finished_at'))
    op.drop_table('scheduled_run')

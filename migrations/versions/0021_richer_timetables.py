"""richer_timetables: monthly and fortnightly sessions, term time only, holiday closures, school holidays

Revision ID: 0021_richer_timetables
Revises: 0025
Create Date: 2026-12-01 19:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_richer_timetables'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('schedule') as batch:
        batch.add_column(sa.Column('freq', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('interval', sa.Integer(), server_default='1', nullable=False))
        batch.add_column(sa.Column('week_of_month', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('starts_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('term_time_only', sa.Boolean(), server_default='0', nullable=False))
    # Every session so far is weekly, every week.
    op.execute("UPDATE schedule SET freq = 'WEEKLY' WHERE kind = 'weekly'")
    op.create_table(
        'service_closure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['service_id'], ['service.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_service_closure_service_id', 'service_closure', ['service_id'])
    op.create_table(
        'school_holiday',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_school_holiday_starts_on', 'school_holiday', ['starts_on'])


def downgrade():
    op.drop_index('ix_school_holiday_starts_on', table_name='school_holiday')
    op.drop_table('school_holiday')
    op.drop_index('ix_service_closure_service_id', table_name='service_closure')
    op.drop_table('service_closure')
    # A monthly or fortnightly session cannot be said in the old columns: it becomes a weekly one.
    with op.batch_alter_table('schedule') as batch:
        batch.drop_column('term_time_only')
        batch.drop_column('starts_on')
        batch.drop_column('week_of_month')
        batch.drop_column('interval')
        batch.drop_column('freq')

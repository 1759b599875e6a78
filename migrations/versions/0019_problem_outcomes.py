"""problem_outcomes: what a manager did about a problem report, and the reporter's language for the reply

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('problem_report') as batch:
        batch.add_column(sa.Column('language', sa.String(length=12), server_default='en', nullable=False))
        batch.add_column(sa.Column('outcome', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('outcome_note', sa.Text(), server_default='', nullable=False))
        batch.add_column(sa.Column('replied_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('problem_report') as batch:
        batch.drop_column('replied_at')
        batch.drop_column('outcome_note')
        batch.drop_column('outcome')
        batch.drop_column('language')

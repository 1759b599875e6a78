"""oruk_ids: a stable UUID on organisations, services, locations and services at locations, for the Open Referral UK API;
indexes on service.updated_at (the API's ETag) and (status, uuid) (its pages)

Revision ID: 0023
Revises: 0021_richer_timetables
Create Date: 2026-12-01 19:00:00

"""
import uuid

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0021_richer_timetables'
branch_labels = None
depends_on = None

TABLES = ('organisation', 'service', 'location', 'service_at_location')


def upgrade():
    conn = op.get_bind()
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('uuid', sa.String(length=36), nullable=True))
        # Backfilled row by row from Python: the same on SQLite and PostgreSQL (neither needs an extension).
        ids = [row[0] for row in conn.execute(sa.text(f'SELECT id FROM {table}'))]  # noqa: S608  (fixed names)
        if ids:
            conn.execute(sa.text(f'UPDATE {table} SET uuid = :uuid WHERE id = :id'),  # noqa: S608
                         [{'id': row_id, 'uuid': str(uuid.uuid4())} for row_id in ids])
        with op.batch_alter_table(table) as batch:
            batch.alter_column('uuid', existing_type=sa.String(length=36), nullable=False)
            batch.create_unique_constraint(f'uq_{table}_uuid', ['uuid'])
    # The API's ETag asks for the newest change on every request.
    op.create_index('ix_service_updated_at', 'service', ['updated_at'])
    op.create_index('ix_service_status_uuid', 'service', ['status', 'uuid'])


def downgrade():
    op.drop_index('ix_service_status_uuid', table_name='service')
    op.drop_index('ix_service_updated_at', table_name='service')
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f'uq_{table}_uuid', type_='unique')
            batch.drop_column('uuid')

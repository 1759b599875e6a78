"""rendered_html: each listing's Markdown stored as sanitised HTML, and the public pages' data version

Revision ID: 0025
Revises: 0022_translation_review
Create Date: 2026-12-01 19:00:00

The HTML is filled in when a listing is saved (app/directory/rendered.py) and, for rows written before this
revision, by `flask directory render-html` (run by `flask directory seed`, so by `make run` and `make database`).
Until then a page renders the Markdown itself, as before.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0022_translation_review'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('service', 'service_translation'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('description_html', sa.Text(), nullable=True))
    site_version = op.create_table(
        'site_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False, server_default='1'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_site_version')),
    )
    # 1: anything a public page shows; 2: translators' edits (app/core/dataversion.py).
    op.bulk_insert(site_version, [{'id': 1, 'version': 1}, {'id': 2, 'version': 1}])


def downgrade():
    op.drop_table('site_version')
    for table in ('service_translation', 'service'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('description_html')

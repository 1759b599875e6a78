"""partner_organisation: reading referrals shared with an organisation, granted apart from editing its listings

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 10:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'partner_organisation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('granted_by_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_partner_organisation_user_id_user'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_partner_organisation_organisation_id_organisation'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['granted_by_id'], ['user.id'],
                                name=op.f('fk_partner_organisation_granted_by_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_organisation')),
        sa.UniqueConstraint('user_id', 'organisation_id', name=op.f('uq_partner_organisation_user_id')),
    )
    with op.batch_alter_table('partner_organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_organisation_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_organisation_organisation_id'), ['organisation_id'],
                              unique=False)
    # Today's partners keep what they read: their organisations in provider_organisation, granted by no one.
    op.execute(
        "INSERT INTO partner_organisation (user_id, organisation_id, granted_by_id, at) "
        "SELECT po.user_id, po.organisation_id, NULL, CURRENT_TIMESTAMP FROM provider_organisation po "
        "WHERE EXISTS (SELECT 1 FROM user_role ur WHERE ur.user_id = po.user_id AND ur.role = 'partner')")


def downgrade():
    with op.batch_alter_table('partner_organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_organisation_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_partner_organisation_user_id'))
    op.drop_table('partner_organisation')

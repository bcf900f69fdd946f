"""Sponsor invitations (people join an organisation by accepting), and the Message-IDs of emails sent once

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 03:28:53.894599

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('sent_mail',
    sa.Column('message_id', sa.String(length=250), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('message_id', name=op.f('pk_sent_mail'))
    )
    op.create_table('sponsor_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("role IN ('admin', 'reviewer')", name=op.f('ck_sponsor_invitation_role_known')),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'declined', 'revoked')", name=op.f('ck_sponsor_invitation_status_known')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user.id'], name=op.f('fk_sponsor_invitation_invited_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['sponsor_organisation.id'], name=op.f('fk_sponsor_invitation_organisation_id_sponsor_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sponsor_invitation'))
    )
    with op.batch_alter_table('sponsor_invitation', schema=None) as batch_op:
        batch_op.create_index('ix_sponsor_invitation_email_status', ['email', 'status'], unique=False)
        batch_op.create_index('ix_sponsor_invitation_organisation_status', ['organisation_id', 'status'], unique=False)




def downgrade():

    with op.batch_alter_table('sponsor_invitation', schema=None) as batch_op:
        batch_op.drop_index('ix_sponsor_invitation_organisation_status')
        batch_op.drop_index('ix_sponsor_invitation_email_status')

    op.drop_table('sponsor_invitation')
    op.drop_table('sent_mail')


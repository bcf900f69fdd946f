"""Sponsors' endorsements as signed OB 3.0 EndorsementCredentials: the credential's uuid and signed document

Revision ID: 0022
Revises: 0021
"""
from alembic import op
import sqlalchemy as sa

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('project_endorsement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uuid', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('document', sa.Text(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_project_endorsement_uuid'), ['uuid'])


def downgrade():
    with op.batch_alter_table('project_endorsement', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_project_endorsement_uuid'), type_='unique')
        batch_op.drop_column('document')
        batch_op.drop_column('uuid')

"""Deleted accounts: the row stays, pseudonymised, with the moment it was deleted

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-29 04:30:19.052240

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))




def downgrade():

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')



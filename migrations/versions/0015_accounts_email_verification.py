"""Accounts: email verification (user.email_verified_at)

Accounts that exist when this runs predate the check: they are marked verified as of their creation, so no
member loses what they could do. Accounts registered afterwards through the form start unverified.

Revision ID: 0015
Revises: 0013
Create Date: 2026-11-29 03:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(), nullable=True))

    user = sa.table('user', sa.column('created_at', sa.DateTime()), sa.column('email_verified_at', sa.DateTime()))
    op.execute(user.update().values(email_verified_at=user.c.created_at))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')

"""Credentials: each credential's place in the revocation status list stored (random for new ones)

Revision ID: 0012
Revises: 0010
Create Date: 2026-11-29 01:30:00.000000

Credentials issued before keep the place derived from their row id until now (list (id-1) // 131072 + 1,
index (id-1) % 131072), written explicitly here; new ones get a random free place (credentials/status_list.py).
The batch copy of `credential` on SQLite is safe: no table references it.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None

LIST_SIZE = 131072  # credentials.status_list.LIST_SIZE when places were derived from row ids


def upgrade():
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_list_number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('status_list_index', sa.Integer(), nullable=True))
    # Integer division on both SQLite and PostgreSQL.
    op.execute(f"UPDATE credential SET status_list_number = (id - 1) / {LIST_SIZE} + 1, "
               f"status_list_index = (id - 1) % {LIST_SIZE}")
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.alter_column('status_list_number', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('status_list_index', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(op.f('uq_credential_status_list_number_status_list_index'),
                                          ['status_list_number', 'status_list_index'])
        batch_op.create_index('ix_credential_status_list_number_id', ['status_list_number', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.drop_index('ix_credential_status_list_number_id')
        batch_op.drop_constraint(op.f('uq_credential_status_list_number_status_list_index'), type_='unique')
        batch_op.drop_column('status_list_index')
        batch_op.drop_column('status_list_number')

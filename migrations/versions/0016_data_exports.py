"""Data exports: a member's zip, built by a job, downloadable by them for a week

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 03:56:22.421187

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('data_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('file_key', sa.String(length=64), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('ready_at', sa.DateTime(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'ready')", name=op.f('ck_data_export_status_known')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_data_export_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_export')),
    sa.UniqueConstraint('file_key', name=op.f('uq_data_export_file_key'))
    )
    with op.batch_alter_table('data_export', schema=None) as batch_op:
        batch_op.create_index('ix_data_export_expires_at', ['expires_at'], unique=False)
        batch_op.create_index('ix_data_export_user_id_created_at', ['user_id', 'created_at'], unique=False)




def downgrade():

    with op.batch_alter_table('data_export', schema=None) as batch_op:
        batch_op.drop_index('ix_data_export_user_id_created_at')
        batch_op.drop_index('ix_data_export_expires_at')

    op.drop_table('data_export')


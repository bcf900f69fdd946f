"""Conversations: threads on applications, milestones and projects, their messages, each reader's last-read position

Revision ID: 0023
Revises: 0025
Create Date: 2026-11-29 06:35:59.604571

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('thread',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('milestone_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_message_id', sa.Integer(), server_default='0', nullable=False),
    sa.Column('message_count', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint("(kind = 'application') = (application_id IS NOT NULL)", name=op.f('ck_thread_application_thread')),
    sa.CheckConstraint("(kind = 'milestone') = (milestone_id IS NOT NULL)", name=op.f('ck_thread_milestone_thread')),
    sa.CheckConstraint("kind IN ('application', 'milestone', 'project')", name=op.f('ck_thread_kind_known')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_thread_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_thread_milestone_id_milestone'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_thread_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thread')),
    sa.UniqueConstraint('key', name=op.f('uq_thread_key'))
    )
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thread_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_thread_milestone_id'), ['milestone_id'], unique=False)
        batch_op.create_index('ix_thread_project_id', ['project_id'], unique=False)

    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_message_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['user.id'], name=op.f('fk_message_deleted_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['thread.id'], name=op.f('fk_message_thread_id_thread'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index('ix_message_author_id', ['author_id'], unique=False)
        batch_op.create_index('ix_message_thread', ['thread_id', 'id'], unique=False)

    op.create_table('thread_read',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('last_read_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['thread.id'], name=op.f('fk_thread_read_thread_id_thread'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_thread_read_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'thread_id', name=op.f('pk_thread_read'))
    )
    with op.batch_alter_table('thread_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thread_read_thread_id'), ['thread_id'], unique=False)



def downgrade():
    with op.batch_alter_table('thread_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thread_read_thread_id'))

    op.drop_table('thread_read')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_thread')
        batch_op.drop_index('ix_message_author_id')

    op.drop_table('message')
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.drop_index('ix_thread_project_id')
        batch_op.drop_index(batch_op.f('ix_thread_milestone_id'))
        batch_op.drop_index(batch_op.f('ix_thread_application_id'))

    op.drop_table('thread')

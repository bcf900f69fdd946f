"""Demo days (issue 14 item 5): who is invited (presenting teams, their sponsors' reviewers), once each; when
the presenting projects' feeds recorded the demo day

Revision ID: 0032
Revises: 0031
Create Date: 2026-11-29 09:53:37.310791

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_invitation',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('invited_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('team', 'sponsor')", name=op.f('ck_event_invitation_role_known')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_invitation_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_event_invitation_project_id_project'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_event_invitation_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'user_id', name=op.f('pk_event_invitation'))
    )
    with op.batch_alter_table('event_invitation', schema=None) as batch_op:
        batch_op.create_index('ix_event_invitation_user', ['user_id'], unique=False)

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presentations_recorded_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('presentations_recorded_at')

    with op.batch_alter_table('event_invitation', schema=None) as batch_op:
        batch_op.drop_index('ix_event_invitation_user')

    op.drop_table('event_invitation')

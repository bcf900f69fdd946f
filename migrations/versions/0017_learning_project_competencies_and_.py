"""Learning: the business competencies projects practise and their business roles

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 03:33:18.263189

Three new tables, nothing existing altered: project_competency (framework codes a project practises),
project_business_role (holder_id left empty for later work) and business_role_competency, whose composite
key to project_competency drops a role's competency when the project stops practising it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('project_competency',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_competency_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'code', name=op.f('pk_project_competency'))
    )
    with op.batch_alter_table('project_competency', schema=None) as batch_op:
        batch_op.create_index('ix_project_competency_code', ['code', 'project_id'], unique=False)

    op.create_table('project_business_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=True),
    sa.Column('holder_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('sponsor_liaison', 'budget_keeper', 'proposal_writer', 'delivery_planner', 'reporting_lead', 'other')", name=op.f('ck_project_business_role_kind_known')),
    sa.ForeignKeyConstraint(['holder_id'], ['team_member.id'], name=op.f('fk_project_business_role_holder_id_team_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_business_role_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_business_role'))
    )
    with op.batch_alter_table('project_business_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_business_role_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index('ix_project_business_role_project', ['project_id', 'id'], unique=False)

    op.create_table('business_role_competency',
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['project_id', 'code'], ['project_competency.project_id', 'project_competency.code'], name='fk_business_role_competency_practised', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['role_id'], ['project_business_role.id'], name=op.f('fk_business_role_competency_role_id_project_business_role'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('role_id', 'code', name=op.f('pk_business_role_competency'))
    )
    with op.batch_alter_table('business_role_competency', schema=None) as batch_op:
        batch_op.create_index('ix_business_role_competency_practised', ['project_id', 'code'], unique=False)



def downgrade():
    with op.batch_alter_table('business_role_competency', schema=None) as batch_op:
        batch_op.drop_index('ix_business_role_competency_practised')

    op.drop_table('business_role_competency')
    with op.batch_alter_table('project_business_role', schema=None) as batch_op:
        batch_op.drop_index('ix_project_business_role_project')
        batch_op.drop_index(batch_op.f('ix_project_business_role_holder_id'))

    op.drop_table('project_business_role')
    with op.batch_alter_table('project_competency', schema=None) as batch_op:
        batch_op.drop_index('ix_project_competency_code')

    op.drop_table('project_competency')

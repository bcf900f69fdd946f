"""Scale: the project list's order kept in a column with its index (and other indexes the benchmark asked for)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 16:20:54.567878

Each index names the query it serves. (The coordinator re-points down_revision when merging.)
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# projects.models.STATUS_RANK
STATUS_RANK = {"recruiting": 4, "active": 3, "delivered": 2, "cancelled": 1, "draft": 0}


def upgrade():
    # Plain ALTER TABLE ADD COLUMN (with its default) rather than a batch copy: on SQLite, copying the table
    # would drop the old one, and with foreign keys on, every child row (applications, milestones...) with it.
    op.add_column('project', sa.Column('status_rank', sa.SmallInteger(), server_default='0', nullable=False))
    project = sa.table('project', sa.column('status', sa.String), sa.column('status_rank', sa.SmallInteger))
    for status, rank in STATUS_RANK.items():
        op.execute(project.update().where(project.c.status == status).values(status_rank=rank))
    # /projects/ and chapter pages: ORDER BY status_rank DESC, created_at DESC, id DESC LIMIT n, read in
    # index order (backwards) instead of sorting every published project.
    op.create_index('ix_project_listing', 'project', ['status_rank', 'created_at', 'id'], unique=False)
    # /me, reviews waiting (projects.queries.reviews_waiting): milestone.project_id IN (the active projects
    # of the lead's chapters) AND status = 'submitted', instead of reading every submitted milestone.
    op.create_index('ix_milestone_project_status', 'milestone', ['project_id', 'status'], unique=False)


def downgrade():
    op.drop_index('ix_milestone_project_status', table_name='milestone')
    op.drop_index('ix_project_listing', table_name='project')
    op.drop_column('project', 'status_rank')  # SQLite 3.35+ drops a column in place (no batch copy, see above)

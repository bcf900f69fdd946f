"""Learning on projects: the business roles a project's team takes, each practising some of its competencies.

Which competencies a project practises is a project fact (projects.models.ProjectCompetency, by framework
code); this package owns what the codes mean (framework.py) and what people do with them: learning goals and
their attestations, sponsors' endorsements, hours on milestones and reflections, keyed by the same codes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (Boolean, CheckConstraint, Column, Date, ForeignKey, ForeignKeyConstraint, Index, Integer, String,
                        Table, Text, UniqueConstraint, false, select)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import utcnow
from core.extensions import db
from projects.models import ProjectCompetency, TeamMember

ROLE_KINDS = ("sponsor_liaison", "budget_keeper", "proposal_writer", "delivery_planner", "reporting_lead", "other")
KIND_LABELS = {"sponsor_liaison": _l("Sponsor liaison"), "budget_keeper": _l("Budget keeper"),
               "proposal_writer": _l("Proposal writer"), "delivery_planner": _l("Delivery planner"),
               "reporting_lead": _l("Reporting lead"), "other": _l("Other role")}
MAX_ROLES = 10

# The competencies a business role practises: always some of its project's (the composite key to
# project_competency), so a competency the leads drop from the project leaves its roles too (ON DELETE CASCADE).
business_role_competency = Table(
    "business_role_competency", db.metadata,
    Column("role_id", ForeignKey("project_business_role.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", Integer, nullable=False),
    Column("code", String(40), primary_key=True),
    ForeignKeyConstraint(["project_id", "code"], ["project_competency.project_id", "project_competency.code"],
                         ondelete="CASCADE", name="fk_business_role_competency_practised"),
    Index("ix_business_role_competency_practised", "project_id", "code"),
)


class ProjectBusinessRole(db.Model):
    """A business role on a project's team (sponsor liaison, budget keeper...), named by the chapter's leads.

    `holder_id` is the team place that takes the role: left empty here; later work lets a team member take
    it (and the credential carries it as the subject's role)."""

    __tablename__ = "project_business_role"
    __table_args__ = (
        CheckConstraint("kind IN ({})".format(", ".join(f"'{k}'" for k in ROLE_KINDS)), name="kind_known"),
        Index("ix_project_business_role_project", "project_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str | None] = mapped_column(String(80))  # the leads' own title; required for "other"
    # One role per holder (unique), one holder per role (the column).
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("team_member.id", ondelete="SET NULL"), index=True,
                                                  unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    project = relationship("Project", lazy="raise")

    @property
    def label(self) -> str:
        return self.name or str(KIND_LABELS[self.kind])

    @property
    def codes(self) -> list[str]:
        """The role's competency codes, loaded by queries.roles_of (never lazily)."""
        return self.__dict__.get("_codes", [])


# The roles practising each competency of a project, loaded with the competencies in the same statement
# (lazy="joined" chains into the project page's joined load of Project.competencies), so that the project
# page shows its business roles without a query of its own. Defined here, on the projects package's class,
# because projects does not know this package; read-only (services write business_role_competency).
ProjectCompetency.roles = relationship(ProjectBusinessRole, secondary=business_role_competency, lazy="joined",
                                       viewonly=True, order_by=ProjectBusinessRole.id)


# ---- Evidence kept as the work happens: hours on milestones and reflections on submitted deliverables ----

MAX_DAY_MINUTES = 24 * 60  # one member, one day, across all their entries
MAX_MILESTONE_MINUTES = 500 * 60  # one member on one milestone: more is a typing slip, not work
NOTE_MAX = 200
REFLECTION_MIN, REFLECTION_MAX = 20, 2000
REFLECTION_FIELDS = ("did", "learned", "differently")


class TimeEntry(db.Model):
    """Time a team member spent on a milestone of their project on one day, with a short note.

    Stored in whole minutes (exact sums, no floating point); entered and shown in decimal hours."""

    __tablename__ = "time_entry"
    __table_args__ = (
        CheckConstraint(f"minutes > 0 AND minutes <= {MAX_DAY_MINUTES}", name="minutes_range"),
        # The milestone page's totals per member and the member's own entries.
        Index("ix_time_entry_milestone_user", "milestone_id", "user_id"),
        # The day's total across all of a member's entries (the 24-hour bound) and their export.
        Index("ix_time_entry_user_day", "user_id", "day"),
        # A member's hours on a project (the project page, later the credential).
        Index("ix_time_entry_project_user", "project_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(NOTE_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Set by the queries that load an entry with its project (never lazily: the rules read entry.project).
    project = relationship("Project", lazy="raise")
    milestone = relationship("Milestone", lazy="raise")

    @property
    def hours(self) -> Decimal:
        return hours_of(self.minutes)


def hours_of(minutes: int | None) -> Decimal:
    """Minutes as decimal hours, two places (90 → 1.50)."""
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.01"))


class Reflection(db.Model):
    """What a team member did, learned and would do differently, written on a deliverable they submitted.

    Private to the team, the chapter's leads and the project's mentors until its author makes it public."""

    __tablename__ = "reflection"
    __table_args__ = (Index("ix_reflection_project", "project_id", "id"),
                      Index("ix_reflection_author", "author_id", "public"))

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))  # the submission's
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    did: Mapped[str] = mapped_column(Text)
    learned: Mapped[str] = mapped_column(Text)
    differently: Mapped[str] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    project = relationship("Project", lazy="raise")
    submission = relationship("Submission", lazy="raise")
    author = relationship("User", lazy="raise")


# --- Learning goals and their attestations (issue 21 items 3 and 5) ---------------------------------------

MAX_GOALS = 3
LEVELS = ("demonstrated", "practised", "not_shown")
LEVEL_LABELS = {"demonstrated": _l("Demonstrated"), "practised": _l("Practised"), "not_shown": _l("Not shown")}
ATTESTATION_NOTE_MAX = 300


class LearningGoal(db.Model):
    """A competency a team member means to practise on their project: one of the project's competencies
    (the composite key to project_competency, so a competency the leads drop takes its goals with it), at most
    MAX_GOALS per team place (checked by the service), once per place and code (unique)."""

    __tablename__ = "learning_goal"
    __table_args__ = (
        UniqueConstraint("team_member_id", "code", name="uq_learning_goal_member_code"),
        ForeignKeyConstraint(["project_id", "code"], ["project_competency.project_id", "project_competency.code"],
                             ondelete="CASCADE", name="fk_learning_goal_practised"),
        Index("ix_learning_goal_project", "project_id", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_member_id: Mapped[int] = mapped_column(ForeignKey("team_member.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Many-to-one: found in the identity map when the page loaded them.
    member = relationship("TeamMember")
    project = relationship("Project", primaryjoin="foreign(LearningGoal.project_id) == Project.id", viewonly=True)
    attestation = relationship("GoalAttestation", uselist=False, lazy="raise", viewonly=True)

    @property
    def owner_id(self) -> int:
        return self.member.user_id

    def mentor_ids(self) -> tuple[int, ...]:
        """The users holding the mentor role on the goal's current team (one query, remembered on the project)."""
        project = self.project
        if "_mentor_ids" not in project.__dict__:
            project.__dict__["_mentor_ids"] = tuple(db.session.scalars(select(TeamMember.user_id).where(
                TeamMember.project_id == project.id, TeamMember.role == "mentor", TeamMember.left_at.is_(None))))
        return project.__dict__["_mentor_ids"]


class GoalAttestation(db.Model):
    """What a mentor on the team (or a chapter lead, when the team has none) saw of one goal: the level and
    a sentence. One per goal (unique): a second is refused."""

    __tablename__ = "goal_attestation"
    __table_args__ = (
        CheckConstraint("level IN ({})".format(", ".join(f"'{level}'" for level in LEVELS)), name="level_known"),
        Index("ix_goal_attestation_level", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("learning_goal.id", ondelete="CASCADE"), unique=True)
    level: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(ATTESTATION_NOTE_MAX))
    attested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    attested_by = relationship("User", lazy="raise")

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level])


# --- The sponsor's endorsement of the team's work, and its signed EndorsementCredential -----------------

ENDORSEMENT_MAX = 500


class ProjectEndorsement(db.Model):
    """A sentence on the team's work by the sponsor's reviewer who accepted the project's final milestone, in
    the name of the organisation they reviewed for: one per project (unique)."""

    __tablename__ = "project_endorsement"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), unique=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("sponsor_organisation.id", ondelete="SET NULL"),
                                                        index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(String(ENDORSEMENT_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The OB 3.0 EndorsementCredential saying the same, signed by the platform in the organisation's name
    # (credentials/endorsement.py), stored once and never rewritten. NULL only for an endorsement recorded
    # before credentials carried them: signed the first time a credential needs it.
    uuid: Mapped[str | None] = mapped_column(String(36), unique=True)
    document: Mapped[str | None] = mapped_column(Text, deferred=True)


@dataclass
class EndorsementSubject:
    """What rule learning.endorse decides on: the project and the review that accepted its final milestone for
    a confirming sponsor (None when there is none), found by queries.endorsement_subject."""

    project: object
    review: object | None

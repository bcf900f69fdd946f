"""Projects and everything that happens in them: applications, team, milestones, submissions, reviews."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import (JSON, CheckConstraint, Column, ForeignKey, Index, Integer, SmallInteger, String, Table,
                        Text, UniqueConstraint, event, select)
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from accounts.models import Skill
from core import memo
from core.audit import utcnow
from core.extensions import db
from core.images import HasCover
from projects import sponsor_links

PROJECT_STATES = ("draft", "recruiting", "active", "delivered", "cancelled")
APPLICATION_STATES = ("pending", "accepted", "declined", "withdrawn")
MILESTONE_STATES = ("planned", "submitted", "accepted", "changes_requested")
TEAM_ROLES = ("contributor", "task_lead", "mentor")
TEAM_MEMBER_STATES = ("active", "left", "removed")
# Where each state comes in the project list, highest first: recruiting projects, then the others by how
# alive they are. Stored (Project.status_rank) so that the list is read in index order, not sorted.
STATUS_RANK = {"recruiting": 4, "active": 3, "delivered": 2, "cancelled": 1, "draft": 0}


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


project_skill = Table(
    "project_skill", db.metadata,
    Column("project_id", ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_project_skill_skill_id", "skill_id"),
)


class ProjectImpact(db.Model):
    """One UN Sustainable Development Goal a project works towards."""

    __tablename__ = "project_impact"
    __table_args__ = (CheckConstraint("sdg BETWEEN 1 AND 17", name="sdg_range"),
                      Index("ix_project_impact_sdg", "sdg"))

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    sdg: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class ProjectCompetency(db.Model):
    """One business competency of the learning framework a project practises, by its stable code.

    The framework itself (names, texts, version) belongs to the learning package; the project keeps only
    codes, checked against that vocabulary by the service (core/vocabularies.py)."""

    __tablename__ = "project_competency"
    # /projects/?competency= and /learning/<code>: from a code to its projects.
    __table_args__ = (Index("ix_project_competency_code", "code", "project_id"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)


MAX_COMPETENCIES = 8


class Project(HasCover, db.Model):
    __tablename__ = "project"
    __table_args__ = (
        CheckConstraint(_in("status", PROJECT_STATES), name="status_known"),
        CheckConstraint("team_min >= 1 AND team_min <= team_max", name="team_bounds"),
        # Enforced by the database so that two leads accepting at once cannot overfill a team.
        CheckConstraint("team_size >= 0 AND team_size <= team_max", name="team_not_overfull"),
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        Index("ix_project_status_created", "status", "created_at"),
        Index("ix_project_chapter_status", "chapter_id", "status"),
        # /projects/ and the chapter pages: ORDER BY status_rank DESC, created_at DESC, id DESC LIMIT 20,
        # read backwards from this index instead of sorting every project.
        Index("ix_project_listing", "status_rank", "created_at", "id"),
        # /projects/?sort=newest: read backwards from this index.
        Index("ix_project_created", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapter.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    learning_outcomes: Mapped[str] = mapped_column(Text, default="")
    team_min: Mapped[int] = mapped_column(default=2)
    team_max: Mapped[int] = mapped_column(default=6)
    team_size: Mapped[int] = mapped_column(default=0)
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="draft")
    status_rank: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")  # STATUS_RANK[status]
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Not a column: filled only by queries that ask for it (see has_confirmed_sponsor).
    confirmed_sponsor: Mapped[bool | None] = query_expression()

    chapter = relationship("Chapter", lazy="joined", innerjoin=True)
    # Lists that show these ask for them with queries.with_tags(); a single project loads them lazily.
    skills: Mapped[list[Skill]] = relationship(secondary=project_skill, order_by=Skill.name)
    impacts: Mapped[list[ProjectImpact]] = relationship(cascade="all, delete-orphan", order_by=ProjectImpact.sdg)
    competencies: Mapped[list[ProjectCompetency]] = relationship(cascade="all, delete-orphan",
                                                                 order_by=ProjectCompetency.code)

    @property
    def sdgs(self) -> list[int]:
        return [impact.sdg for impact in self.impacts]

    @property
    def competency_codes(self) -> list[str]:
        return [practised.code for practised in self.competencies]

    @property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    @property
    def places_left(self) -> int:
        return max(self.team_max - self.team_size, 0)

    @property
    def is_published(self) -> bool:
        return self.status != "draft"

    def is_led_by(self, user) -> bool:
        return self.chapter.is_led_by(user)

    def due_date_problem(self, day: date | None) -> str | None:
        """Why a milestone cannot be due on `day`: before the project starts or after it ends (None: it can)."""
        if day is None:
            return None
        if self.start_date and day < self.start_date:
            return _("A milestone cannot be due before the project starts (%(date)s).",
                     date=format_date(self.start_date))
        if self.end_date and day > self.end_date:
            return _("A milestone cannot be due after the project ends (%(date)s).", date=format_date(self.end_date))
        return None

    def team_role_of(self, user) -> str | None:
        """The user's role on the current team (one query per user, remembered on this object)."""
        return memo.per_user(self, "_team_cache", user, lambda: db.session.scalar(select(TeamMember.role).where(
            TeamMember.project_id == self.id, TeamMember.user_id == user.id, TeamMember.left_at.is_(None))))

    def has_member(self, user) -> bool:
        return self.team_role_of(user) is not None

    def forget_team(self) -> None:
        memo.forget(self, "_team_cache")

    def sponsor_organisations_of(self, user) -> tuple[int, ...]:
        """The confirming sponsors of this project the user reviews for (one query per user, remembered)."""
        return memo.per_user(self, "_sponsor_cache", user,
                             lambda: sponsor_links.organisations_reviewing(self.id, user.id), anonymous=())

    @property
    def has_confirmed_sponsor(self) -> bool:
        """Whether an active organisation has confirmed a sponsorship of this project: loaded with the project
        where the query asked for it (queries.WITH_SPONSOR_FLAG), else one query, remembered."""
        if "_has_sponsor" not in self.__dict__:
            loaded = self.confirmed_sponsor
            self.__dict__["_has_sponsor"] = (bool(loaded) if loaded is not None
                                             else sponsor_links.has_confirmed_sponsor(self.id))
        return self.__dict__["_has_sponsor"]

    def remember_team(self, user, team: list["TeamMember"]) -> None:
        """Prime team_role_of(user) from the current team a page already loaded: no query."""
        if getattr(user, "is_authenticated", False):
            memo.remember(self, "_team_cache", user, next((m.role for m in team if m.user_id == user.id), None))

    def has_applied(self, user) -> bool:
        """Whether the user has an application to this project, in any state (one query per user, remembered)."""
        return memo.per_user(self, "_application_cache", user, lambda: db.session.scalar(select(Application.id).where(
            Application.project_id == self.id, Application.user_id == user.id)) is not None)

    def remember_application(self, user, application: "Application | None") -> None:
        """Prime has_applied(user) from the application a page already loaded: no query."""
        if getattr(user, "is_authenticated", False):
            memo.remember(self, "_application_cache", user, application is not None)

    def remember_milestones(self, milestones: list["Milestone"]) -> None:
        """Let the lifecycle guards count the milestones a page already loaded (same request: exact)."""
        self.__dict__["_milestones"] = milestones

    def known_milestones(self) -> list["Milestone"] | None:
        return self.__dict__.get("_milestones")


@event.listens_for(Project.status, "set")
def _rank_follows_status(project, status, previous, initiator):
    """Every ORM change of status (the workflow, the constructor) moves the project in the list."""
    project.status_rank = STATUS_RANK.get(status, 0)


class Application(db.Model):
    __tablename__ = "application"
    __table_args__ = (
        UniqueConstraint("project_id", "user_id"),
        CheckConstraint(_in("status", APPLICATION_STATES), name="status_known"),
        Index("ix_application_project_status", "project_id", "status"),
        Index("ix_application_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    motivation: Mapped[str] = mapped_column(Text)
    portfolio_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    decision_message: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optimistic locking: two leads deciding the same application at once cannot both win.
    version: Mapped[int] = mapped_column(default=1)

    project: Mapped[Project] = relationship()  # many-to-one: found in the identity map when loaded
    user = relationship("User", foreign_keys=[user_id])

    __mapper_args__ = {"version_id_col": version}


class TeamMember(db.Model):
    """A place on a project's team; people who leave or are removed keep their row (left_at set)."""

    __tablename__ = "team_member"
    __table_args__ = (
        UniqueConstraint("project_id", "user_id"),
        CheckConstraint(_in("role", TEAM_ROLES), name="role_known"),
        Index("ix_team_member_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20), default="contributor")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]
    removal_reason: Mapped[str | None] = mapped_column(Text)

    project: Mapped[Project] = relationship()  # many-to-one: found in the identity map when loaded
    user = relationship("User")

    @property
    def is_current(self) -> bool:
        return self.left_at is None

    @property
    def status(self) -> str:
        """The place's state in the team lifecycle (lifecycle.TEAM_MEMBER), read from when and why it ended."""
        if self.left_at is None:
            return "active"
        return "removed" if self.removal_reason else "left"

    @status.setter
    def status(self, value: str) -> None:
        if value not in TEAM_MEMBER_STATES:
            raise ValueError(f"unknown team member state {value!r}")
        self.left_at = None if value == "active" else (self.left_at or utcnow())


class Milestone(db.Model):
    __tablename__ = "milestone"
    __table_args__ = (
        CheckConstraint(_in("status", MILESTONE_STATES), name="status_known"),
        Index("ix_milestone_project_position", "project_id", "position"),
        Index("ix_milestone_status_due", "status", "due_date"),
        # The dashboard's reviews waiting: submitted milestones of the projects a lead's chapters run.
        Index("ix_milestone_project_status", "project_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default="planned")
    submitted_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[Project] = relationship()  # many-to-one: found in the identity map when loaded

    def is_overdue(self, today: date) -> bool:
        """Past due with the team's work still to do (a submission waiting for review is not late)."""
        return self.status in ("planned", "changes_requested") and self.due_date < today

    def waiting_submission(self) -> "Submission | None":
        """The submission waiting for review (the latest not withdrawn) while the milestone is submitted;
        one query, remembered on this object."""
        if self.status != "submitted":
            return None
        if "_waiting" not in self.__dict__:
            self.__dict__["_waiting"] = db.session.scalar(
                select(Submission).where(Submission.milestone_id == self.id, Submission.withdrawn_at.is_(None))
                .order_by(Submission.created_at.desc(), Submission.id.desc()).limit(1))
        return self.__dict__["_waiting"]

    def forget_waiting_submission(self) -> None:
        self.__dict__.pop("_waiting", None)
        self.__dict__.pop("_reviewed", None)

    def was_reviewed(self) -> bool:
        """Whether any review was made of this milestone (one query, remembered on this object)."""
        if "_reviewed" not in self.__dict__:
            self.__dict__["_reviewed"] = db.session.scalar(
                select(Review.id).where(Review.milestone_id == self.id).limit(1)) is not None
        return self.__dict__["_reviewed"]

    def remember_history(self, items: list) -> None:
        """Learn the waiting submission and whether it was ever reviewed from the history a page loaded
        (its submissions and reviews), so that the rules asking cost no query of their own."""
        submissions = [item for item in items if isinstance(item, Submission)]
        waiting = [s for s in submissions if s.withdrawn_at is None]
        self.__dict__["_waiting"] = max(waiting, key=lambda s: (s.created_at, s.id)) if waiting else None
        self.__dict__["_reviewed"] = any(isinstance(item, Review) for item in items)


class Submission(db.Model):
    """A deliverable handed in for a milestone: a note plus a link and/or one file."""

    __tablename__ = "submission"
    __table_args__ = (Index("ix_submission_milestone", "milestone_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    file_size: Mapped[int | None]
    file_type: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Taken back by its author before anyone reviewed it: kept in the history, never reviewed.
    withdrawn_at: Mapped[datetime | None]

    milestone: Mapped[Milestone] = relationship(lazy="raise")
    author = relationship("User", lazy="raise")


class Review(db.Model):
    __tablename__ = "review"
    __table_args__ = (
        CheckConstraint("decision IN ('accepted', 'changes_requested')", name="decision_known"),
        Index("ix_review_milestone", "milestone_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id", ondelete="SET NULL"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The sponsor the reviewer reviewed for (a member of a confirming sponsor); None for a chapter lead's review.
    sponsor_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("sponsor_organisation.id", ondelete="SET NULL"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    reviewer = relationship("User", lazy="raise")


class ProjectActivity(db.Model):
    """The project's public activity feed: what happened, told in the reader's language."""

    __tablename__ = "project_activity"
    __table_args__ = (Index("ix_project_activity_project", "project_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    verb: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor = relationship("User", lazy="raise")


class MilestoneReminder(db.Model):
    """A reminder sent about a milestone on a given day: the database keeps it to one a day."""

    __tablename__ = "milestone_reminder"
    __table_args__ = (UniqueConstraint("milestone_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"))
    sent_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(40))

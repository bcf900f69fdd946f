"""What each event carries, and to whom: the subject's loader, who may receive it (rules of core/authz.py, asked
with can() for the subscriber), and its data (public fields only; links are full addresses)."""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Callable

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from accounts.models import User
from core.audit import as_utc
from core.authz import can
from core.extensions import db
from core.urls import path_for
from credentials.issuing import credential_path
from credentials.models import Credential
from projects.models import Application, Milestone, Project


def _url(path: str) -> str:
    return current_app.config["BASE_URL"] + path


def _moment(value) -> str | None:
    return as_utc(value).isoformat().replace("+00:00", "Z") if value is not None else None


def project_data(project: Project) -> dict:
    chapter = project.chapter
    return {"id": project.id, "title": project.title, "summary": project.summary, "status": project.status,
            "url": _url(path_for("projects.detail", project_id=project.id)),
            "chapter": {"slug": chapter.slug, "name": chapter.name, "city": chapter.city, "country": chapter.country},
            "team_min": project.team_min, "team_max": project.team_max, "team_size": project.team_size,
            "start_date": project.start_date.isoformat() if project.start_date else None,
            "end_date": project.end_date.isoformat() if project.end_date else None}


def _project_ref(project: Project) -> dict:
    return {"id": project.id, "title": project.title, "url": _url(path_for("projects.detail", project_id=project.id))}


# ---- the four events --------------------------------------------------------------------------


def _load_project(object_id: int):
    return db.session.get(Project, object_id)


def _load_application(object_id: int):
    return db.session.scalar(select(Application).options(joinedload(Application.project), joinedload(Application.user))
                             .where(Application.id == object_id))


def _load_milestone(object_id: int):
    return db.session.scalar(select(Milestone).options(joinedload(Milestone.project)).where(Milestone.id == object_id))


def _load_credential(object_id: int):
    row = db.session.execute(select(Credential, User, Project).join(Project, Project.id == Credential.project_id)
                             .outerjoin(User, User.id == Credential.recipient_id)
                             .where(Credential.id == object_id)).first()
    return None if row is None else SimpleNamespace(credential=row[0], recipient=row[1], project=row[2])


def _application_thread(application: Application):
    """The application's conversation opens with the lead's decision: whoever reads it may know the decision."""
    return SimpleNamespace(kind="application", application=application, project=application.project)


@dataclass(frozen=True)
class EventKind:
    load: Callable[[int], Any]
    may_receive: Callable[[Any, Any], bool]  # (subscriber, subject)
    data: Callable[[Any, str | None], dict]  # (subject, its state when announced)


EVENT_KINDS: dict[str, EventKind] = {
    # A project opens recruiting: to whoever may see the project (published, in a chapter that is not pending).
    "project.recruiting": EventKind(
        _load_project, lambda user, project: can(user, "project.view", project),
        lambda project, state: {"project": project_data(project)}),
    # An application is decided: to the applicant and the chapter's leads only.
    "application.decided": EventKind(
        _load_application, lambda user, app: can(user, "thread.application.view", _application_thread(app)),
        lambda app, state: {"application": {"id": app.id, "decision": state, "decided_at": _moment(app.decided_at),
                                            "applicant": app.user.handle},
                            "project": _project_ref(app.project)}),
    # A credential is issued: to whoever may see the holder's profile and the project (hidden profiles: nobody
    # but the holder and admins).
    "credential.issued": EventKind(
        _load_credential,
        lambda user, c: (c.recipient is not None and can(user, "user.view_profile", c.recipient)
                         and can(user, "project.view", c.project)),
        lambda c, state: {"credential": {"id": c.credential.uuid, "url": _url(credential_path(c.credential.uuid)),
                                         "json": _url(credential_path(c.credential.uuid) + ".json"),
                                         "role": c.credential.role, "issued_at": _moment(c.credential.issued_at),
                                         "holder": c.recipient.handle},
                          "project": _project_ref(c.project)}),
    # A milestone is reviewed: its public fields (as on the project's page) to whoever may see the project.
    "milestone.reviewed": EventKind(
        _load_milestone, lambda user, milestone: can(user, "project.view", milestone.project),
        lambda milestone, state: {"milestone": {"id": milestone.id, "position": milestone.position,
                                                "title": milestone.title, "decision": state,
                                                "due_date": milestone.due_date.isoformat()},
                                  "project": _project_ref(milestone.project)}),
}

"""What a project needs to know of its confirmed sponsors: who may review for them, and whether there are any.

The sponsors package depends on this one, so its tables are named here rather than imported (the
same backwards reference a string relationship makes). A sponsor counts while its sponsorship is
confirmed and its organisation active: members of an archived organisation review nothing.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, column, select, table

from core.extensions import db

sponsorship = table("sponsorship", column("project_id"), column("organisation_id"), column("status"))
sponsor_member = table("sponsor_member", column("organisation_id"), column("user_id"), column("role"))
sponsor_organisation = table("sponsor_organisation", column("id"), column("status"), column("name"))


def confirming_organisations(project_id) -> Select:
    """The ids of the active organisations with a confirmed sponsorship of the project (a subquery); the
    project is an id or a column to correlate with."""
    return (select(sponsorship.c.organisation_id)
            .join(sponsor_organisation, sponsor_organisation.c.id == sponsorship.c.organisation_id)
            .where(sponsorship.c.project_id == project_id, sponsorship.c.status == "confirmed",
                   sponsor_organisation.c.status == "active"))


def confirmed_sponsor_exists(project_id_column) -> ColumnElement[bool]:
    """EXISTS(a confirming organisation), correlated, to load with the project (Project.confirmed_sponsor)."""
    return confirming_organisations(project_id_column).exists()


def has_confirmed_sponsor(project_id: int) -> bool:
    return db.session.scalar(confirming_organisations(project_id).limit(1)) is not None


def organisations_reviewing(project_id: int, user_id: int) -> tuple[int, ...]:
    """The confirming organisations of the project in which the user is a member (admin or reviewer)."""
    return tuple(db.session.scalars(
        select(sponsor_member.c.organisation_id)
        .where(sponsor_member.c.user_id == user_id,
               sponsor_member.c.organisation_id.in_(confirming_organisations(project_id)))
        .order_by(sponsor_member.c.organisation_id)))


def organisation_names(ids) -> dict[int, str]:
    """The names of the given organisations, by id."""
    ids = tuple(ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(sponsor_organisation.c.id, sponsor_organisation.c.name)
                                   .where(sponsor_organisation.c.id.in_(ids))).all())

"""Sponsor sections on the admin index, project pages and chapter pages."""

from core.authz import can
from core.pages import section
from sponsors import money, queries
from sponsors.lifecycle import SPONSORSHIP


@section("admin", "sponsors/_admin_pending.html", order=20)
def pending(user):
    return {"pending_organisations": queries.pending_organisations()}


@section("project", "sponsors/_project_sponsors.html", order=10)
def project_sponsors(project, user):
    """Confirmed sponsors for everyone; sponsorships waiting for an answer for the people on either side."""
    sponsorships = queries.of_project(project)
    memberships = queries.memberships_of(user)
    queries.prime_roles(sponsorships, memberships, user)
    confirmed = [s for s in sponsorships if s.status == "confirmed"]
    waiting = [s for s in sponsorships if s.is_open and can(user, "sponsorship.answer", s)]
    can_offer = can(user, "sponsorship.offer_to", project) and any(
        can(user, "sponsorship.offer", m.organisation) for m in memberships)
    actions = {s.id: [t for t in SPONSORSHIP.available(s, user) if not SPONSORSHIP.blockers(s, user, t.name)]
               for s in waiting}
    return {"project": project, "confirmed": confirmed, "waiting": waiting, "actions": actions, "totals": money.totals(confirmed),
            "can_offer": can_offer, "can_request": can(user, "sponsorship.request", project),
            "format_money": money.format_money}


@section("chapter", "sponsors/_chapter_sponsors.html", order=20)
def chapter_sponsors(chapter, user):
    confirmed = queries.confirmed_for_chapter(chapter)
    if not confirmed:
        return None
    sponsors = {s.organisation.id: s.organisation for s in confirmed}
    return {"sponsors": sorted(sponsors.values(), key=lambda o: o.name.casefold()),
            "totals": money.totals(confirmed), "format_money": money.format_money}


@section("dashboard", "sponsors/_my_organisations.html", order=30)
def my_organisations(user):
    """On /me: the organisations the member belongs to, with their dashboards (hidden when none)."""
    memberships = queries.memberships_of(user)
    if not memberships:
        return None
    return {"memberships": memberships,
            "waiting": queries.reviews_waiting_by_organisation(m.organisation_id for m in memberships)}


@section("dashboard", "sponsors/_my_invitations.html", order=5)
def my_invitations(user):
    """On /me: invitations to join sponsor organisations, waiting for the member's answer (hidden when none)."""
    invitations = queries.invitations_for(user)
    return {"invitations": invitations} if invitations else None

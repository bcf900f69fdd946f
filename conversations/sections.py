"""Conversation sections: links to a project's and a milestone's threads (no query: the rules read what the page
loaded), each applicant's thread on the applications page, and unread conversations on /me."""
from core.authz import can
from core.pages import section
from conversations import queries
from conversations.models import Thread


def _unsaved(kind: str, project, **subject) -> Thread:
    """The rule's subject for a thread the page has not loaded (reading it is the thread page's work)."""
    return queries.attach(Thread(kind=kind, project_id=project.id), project, subject.get("application"),
                          subject.get("milestone"))


@section("project", "conversations/_project_link.html", order=7)
def project_discussion(project, user):
    """The link to the team's discussion, for the team and the chapter's leads."""
    if not can(user, "thread.project.view", _unsaved("project", project)):
        return None
    return {"project": project}


@section("milestone", "conversations/_milestone_link.html", order=5)
def milestone_conversation(milestone, user):
    """The link to the milestone's conversation, for the team, the leads and the confirmed sponsors' members."""
    if not can(user, "thread.milestone.view", _unsaved("milestone", milestone.project, milestone=milestone)):
        return None
    return {"milestone": milestone}


@section("applicant", "conversations/_applicant_link.html", order=50)
def applicant_conversations(project, applications, user):
    """Each application's conversation, with what the lead has not read yet: one statement for the page."""
    return {"unread": queries.unread_by_application([a.id for a in applications], user), "project": project}


@section("dashboard", "conversations/_dashboard.html", order=15)
def unread_conversations(user):
    """The conversations with messages the member has not read: one statement."""
    threads = queries.unread_threads(user)
    return {"threads": threads} if threads else None

"""A delivered project with its credentials issued by the real issuer, and the people around it."""
import pytest

from tests.factories import (add_member, issue_credentials, make_admin, make_chapter, make_delivered_project,
                             make_user)


@pytest.fixture
def w(app):
    lead = make_user("lead", name="Lina Lead")
    chapter = make_chapter(lead, name="Lyon Freelancers")
    co_lead = add_member(chapter, make_user("colead"), role="co_lead")
    ada = make_user("ada", name="Ada Lovelace", locale="en")
    remi = make_user("remi", name="Rémi Dupont", locale="fr")
    project = make_delivered_project(chapter, (ada, remi), title="Water point map", skills=("Mapping", "Python"))
    credentials = {c.recipient_id: c for c in issue_credentials(project)}
    other_lead = make_user("otherlead")
    make_chapter(other_lead)
    return {"lead": lead, "co_lead": co_lead, "chapter": chapter, "project": project, "ada": ada, "remi": remi,
            "credential": credentials[ada.id], "french": credentials[remi.id], "admin": make_admin("root"),
            "member": make_user("someone"), "other_lead": other_lead}


def page_of(credential) -> str:
    return f"/credentials/{credential.uuid}"

"""Every state of every workflow has a label in English and French, and pages, notifications, the CSV
export and the engine's refusals show labels, never raw state names."""
import ast
import importlib
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale
from sqlalchemy import select

from core import workflow
from core.extensions import db
from core.workflow import Workflow
from projects.models import Milestone
from tests.factories import (make_admin, make_application, make_chapter, make_organisation, make_project,
                             make_sponsorship, make_user)

ROOT = Path(__file__).resolve().parent.parent
RAW_NAME = re.compile(r"\b[a-z]+_[a-z_]+\b")  # changes_requested, in_kind: a name no reader should see


def declared_workflows() -> list[Workflow]:
    """Every `NAME = Workflow(...)` in a package's lifecycle.py, found by reading the code."""
    found = []
    for path in sorted(ROOT.glob("*/lifecycle.py")):
        module = importlib.import_module(f"{path.parent.name}.lifecycle")
        for node in ast.parse(path.read_text()).body:
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                    and getattr(node.value.func, "id", None) == "Workflow"):
                found.extend(getattr(module, target.id) for target in node.targets)
    return found


def french_catalogue():
    with open(ROOT / "translations/fr/LC_MESSAGES/messages.po", "rb") as po:
        return read_po(po)


def test_the_registry_holds_every_workflow_declared_in_a_lifecycle(app):
    declared = declared_workflows()
    assert len(declared) >= 6
    assert sorted(w.entity for w in declared) == sorted(workflow.WORKFLOWS)
    assert all(workflow.WORKFLOWS[w.entity] is w for w in declared)


def test_a_workflow_without_a_label_for_every_state_is_refused_when_declared():
    with pytest.raises(ValueError, match="label every state"):
        Workflow("gadget", field="state", states=("draft", "live"), labels={"draft": "draft"}, transitions=[])
    assert "gadget" not in workflow.WORKFLOWS


def test_every_state_has_an_english_label_that_reads_as_words(app):
    with app.test_request_context(), force_locale("en"):
        for wf in workflow.WORKFLOWS.values():
            for state in wf.states:
                label = wf.label(state)
                assert label and not RAW_NAME.search(label), (wf.entity, state, label)
                if "_" in state:
                    assert label != state
    with app.test_request_context(), force_locale("en"):
        assert workflow.WORKFLOWS["milestone"].label("changes_requested") == "changes requested"


def test_every_state_label_is_translated_in_french(app):
    catalogue = french_catalogue()
    for wf in workflow.WORKFLOWS.values():
        for state in wf.states:
            with app.test_request_context(), force_locale("en"):
                english = wf.label(state)
            entry = catalogue.get(english, context=wf.entity)
            assert entry is not None and entry.string, f"no French for {wf.entity} “{english}”"
            with app.test_request_context(), force_locale("fr"):
                assert wf.label(state) == entry.string  # the compiled catalogue is the one served


def test_french_labels_agree_with_their_entity(app):
    with app.test_request_context(), force_locale("fr"):
        labels = {entity: wf.label for entity, wf in workflow.WORKFLOWS.items()}
        assert labels["organisation"]("active") == "active" and labels["chapter"]("active") == "actif"
        assert labels["project"]("active") == "actif" and labels["organisation"]("archived") == "archivée"
        assert labels["application"]("accepted") == "acceptée" and labels["milestone"]("accepted") == "accepté"
        assert labels["milestone"]("changes_requested") == "modifications demandées"


# Through the pages ------------------------------------------------------------------------------------------------

@pytest.fixture
def reviewed(app):
    """An active project whose first milestone the lead sent back, a sponsor reviewing it."""
    lead, member = make_user("lead"), make_user("member")
    project = make_project(make_chapter(lead), status="active", team=(member,), milestones=2, title="Water map")
    sponsor_admin = make_user("sadmin")
    org = make_organisation(sponsor_admin, name="Acme Foundation")
    make_sponsorship(project, org, status="confirmed")
    first = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id, Milestone.position == 1))
    return {"lead": lead, "member": member, "project": project, "milestone": first, "org": org,
            "sponsor_admin": sponsor_admin}


def send_back(client, auth, reviewed):
    m = reviewed["milestone"]
    base = f"/projects/{m.project_id}/milestones/{m.id}"
    auth.login_as(reviewed["member"])
    client.post(f"{base}/submit", data={"note": "Here", "link": "https://example.org/v1"},
                content_type="multipart/form-data")
    auth.login_as(reviewed["lead"])
    client.post(f"{base}/review", data={"decision": "request_changes", "comment": "Add the sources."})
    return base


def test_milestone_and_review_badges_show_the_label(client, auth, reviewed):
    base = send_back(client, auth, reviewed)
    for page in (client.get(base), client.get(f"/projects/{reviewed['project'].id}")):
        body = page.get_data(as_text=True)
        assert page.status_code == 200 and ">changes requested<" in body
        assert "changes_requested" not in body
    assert client.get(base).get_data(as_text=True).count(">changes requested<") >= 2  # milestone and review


def test_milestone_badges_in_french(client, auth, reviewed):
    base = send_back(client, auth, reviewed)
    body = client.get(base, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert ">modifications demandées<" in body and "changes_requested" not in body


def test_notifications_show_the_label_in_the_readers_language(client, auth, reviewed):
    send_back(client, auth, reviewed)
    auth.login_as(reviewed["member"])
    body = client.get("/notifications").get_data(as_text=True)
    assert "“Milestone 1” of “Water map”: changes requested." in body and "changes_requested" not in body
    reviewed["member"].locale = "fr"
    db.session.commit()
    body = client.get("/notifications").get_data(as_text=True)
    assert "« Milestone 1 » du projet « Water map » : modifications demandées." in body


def test_a_decided_application_is_told_in_agreement_in_french(client, auth, app):
    lead, applicant = make_user("lead"), make_user("applicant", locale="fr")
    project = make_project(make_chapter(lead), status="recruiting", title="Water map")
    application = make_application(project, applicant)
    auth.login_as(lead)
    client.post(f"/projects/{project.id}/applications/{application.id}/decline")
    auth.login_as(applicant)
    body = client.get("/notifications").get_data(as_text=True)
    assert "Votre candidature pour « Water map » a été refusée." in body
    auth.login_as(lead)
    again = client.post(f"/projects/{project.id}/applications/{application.id}/accept",
                        headers={"Accept-Language": "fr"}, follow_redirects=True)
    assert "Impossible tant que la candidature est refusée." in again.get_data(as_text=True)


def test_the_sponsor_csv_shows_state_labels(client, auth, reviewed):
    send_back(client, auth, reviewed)
    auth.login_as(reviewed["sponsor_admin"])
    url = f"/sponsors/{reviewed['org'].slug}/projects/{reviewed['project'].id}/report.csv"
    text = client.get(url).get_data(as_text=True)
    assert "changes requested" in text and "changes_requested" not in text
    french = client.get(url, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "modifications demandées" in french and ",actif," in french


def test_flashes_after_a_transition_agree_in_french(client, auth, app):
    admin = make_admin(locale="fr")
    org = make_organisation(status="pending")
    chapter = make_chapter(status="pending")
    auth.login_as(admin)
    body = client.post(f"/sponsors/{org.slug}/transitions/approve", follow_redirects=True).get_data(as_text=True)
    assert "L’organisation est maintenant active." in body
    body = client.post(f"/chapters/{chapter.slug}/transitions/approve", follow_redirects=True).get_data(as_text=True)
    assert "Le chapitre est maintenant actif." in body


def test_the_audit_log_shows_state_labels(client, auth, reviewed):
    send_back(client, auth, reviewed)
    auth.login_as(make_admin())
    body = client.get("/admin/audit").get_data(as_text=True)
    assert "submitted → changes requested" in body and "changes_requested" not in body

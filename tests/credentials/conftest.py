"""Credential fixtures: a public https BASE_URL and a delivered project whose credentials the real job issued."""
import copy
import json

import pytest
from sqlalchemy import select

from core.extensions import db
from credentials import tasks
from credentials.models import Credential
from tests.factories import make_chapter, make_delivered_project, make_user

BASE_URL = "https://chapterhouse.example"


@pytest.fixture
def app(app):
    app.config["BASE_URL"] = BASE_URL
    return app


@pytest.fixture
def lead(app):
    return make_user("lead")


@pytest.fixture
def chapter(lead):
    return make_chapter(lead, name="Lyon Makers")


@pytest.fixture
def team(app):
    french = make_user("lea", name="Léa Martin", email="lea@example.org")
    french.locale = "fr"
    english = make_user("sam", name="Sam Jones", email="sam@example.org")
    english.locale = "en"
    db.session.commit()
    return french, english


@pytest.fixture
def delivered(chapter, team, lead):
    project = make_delivered_project(chapter, team=team, roles=("task_lead", "contributor"),
                                     title="Clean water map", skills=("Python", "Cartography"), sdgs=(6, 11))
    add_learning(project, *team, lead)
    return project


ENDORSEMENT_TEXT = "The map lets our volunteers find a water point in seconds: exactly what we needed."


def add_learning(project, lea, sam, lead):
    """What the team did and learned, as the learning pages record it: the project practises two business
    competencies; Léa holds the budget role, logged 3.5 hours, had two goals attested (demonstrated, practised),
    had her deliverable accepted and made its reflection public; Sam had one goal attested (not shown) and one
    never attested, logged 1 hour and kept his reflection private. A sponsor's reviewer endorsed the work (recorded before endorsements were
    signed: the issuing job signs it)."""
    from datetime import date

    from learning.models import (GoalAttestation, LearningGoal, ProjectBusinessRole, ProjectEndorsement, Reflection,
                                 TimeEntry)
    from projects.models import Milestone, ProjectCompetency, Review, Submission, TeamMember
    from tests.factories import make_organisation

    places = {place.user_id: place for place in db.session.scalars(
        select(TeamMember).where(TeamMember.project_id == project.id))}
    first, last = db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)
                                     .order_by(Milestone.position)).all()
    for code in ("scoping.pricing", "relations.reporting"):
        db.session.add(ProjectCompetency(project_id=project.id, code=code))
    db.session.flush()
    db.session.add(ProjectBusinessRole(project_id=project.id, kind="budget_keeper", holder_id=places[lea.id].id))
    attested = [(lea, "scoping.pricing", "demonstrated", "Priced the map's second phase and defended it."),
                (lea, "relations.reporting", "practised", "Wrote two of the four progress reports."),
                (sam, "relations.reporting", "not_shown", "Reporting went to Léa this time."),
                (sam, "scoping.pricing", None, None)]  # not attested (the delivery guard came later)
    for person, code, level, note in attested:
        goal = LearningGoal(team_member_id=places[person.id].id, project_id=project.id, code=code)
        db.session.add(goal)
        db.session.flush()
        if level:
            db.session.add(GoalAttestation(goal_id=goal.id, level=level, note=note, attested_by_id=lead.id))
    for person, milestone, minutes in ((lea, first, 90), (lea, last, 120), (sam, first, 60)):
        db.session.add(TimeEntry(user_id=person.id, project_id=project.id, milestone_id=milestone.id,
                                 day=date(2026, 10, 1), minutes=minutes, note="Work on the map"))
    organisation = make_organisation(name="Water Trust", reviewers=(make_user(),), commit=False)
    for person, milestone, public in ((lea, first, True), (sam, last, False)):
        submission = Submission(milestone_id=milestone.id, author_id=person.id, note="The deliverable.",
                                link="https://example.org/map")
        db.session.add(submission)
        db.session.flush()
        review = Review(milestone_id=milestone.id, submission_id=submission.id, reviewer_id=lead.id,
                        decision="accepted", sponsor_organisation_id=organisation.id if milestone is last else None)
        db.session.add(review)
        db.session.add(Reflection(submission_id=submission.id, project_id=project.id, author_id=person.id,
                                  did="I drew the map layers.", learned="Pricing in phases helps the client.",
                                  differently="Agree on the scope in writing.", public=public))
    db.session.flush()
    db.session.add(ProjectEndorsement(project_id=project.id, review_id=review.id, organisation_id=organisation.id,
                                      author_id=lead.id, text=ENDORSEMENT_TEXT))
    db.session.commit()


def issue(project_id: int) -> list[Credential]:
    """Run the real job's task and commit, as the outbox does."""
    tasks.issue_for_project(project_id)
    db.session.commit()
    return credentials_of(project_id)


def credentials_of(project_id: int) -> list[Credential]:
    return list(db.session.scalars(select(Credential).where(Credential.project_id == project_id)
                                   .order_by(Credential.id)))


def document(credential: Credential) -> dict:
    return json.loads(credential.document)


def changed(doc: dict, path: tuple, value) -> dict:
    """A deep copy of `doc` with the value at `path` (keys and list indexes) replaced."""
    copied = copy.deepcopy(doc)
    target = copied
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copied


@pytest.fixture
def issued(delivered):
    return issue(delivered.id)


@pytest.fixture
def w(app):
    """The people around a delivered project whose credentials the real issuer issued (pages' tests)."""
    from tests.factories import add_member, issue_credentials, make_admin

    lead = make_user("lead", name="Lina Lead")
    chapter = make_chapter(lead, name="Lyon Freelancers")
    co_lead = add_member(chapter, make_user("colead"), role="co_lead")
    ada = make_user("ada", name="Ada Lovelace", locale="en")
    remi = make_user("remi", name="Rémi Dupont", locale="fr")
    project = make_delivered_project(chapter, team=(ada, remi), title="Water point map", skills=("Mapping", "Python"))
    credentials = {c.recipient_id: c for c in issue_credentials(project)}
    other_lead = make_user("otherlead")
    make_chapter(other_lead)
    return {"lead": lead, "co_lead": co_lead, "chapter": chapter, "project": project, "ada": ada, "remi": remi,
            "credential": credentials[ada.id], "french": credentials[remi.id], "admin": make_admin("root"),
            "member": make_user("someone"), "other_lead": other_lead}


def page_of(credential) -> str:
    return f"/credentials/{credential.uuid}"


def legacy_jwt(credential: dict, private_key, kid: str) -> str:
    """A VC-JWT as credentials issued before did:web carry it (VC-JOSE-COSE: typ vc+jwt, cty vc, no claims)."""
    from joserfc import jws
    from joserfc.jwk import OKPKey

    payload = json.dumps({k: v for k, v in credential.items() if k != "proof"}, separators=(",", ":"),
                         ensure_ascii=False).encode()
    return jws.serialize_compact({"alg": "EdDSA", "kid": kid, "typ": "vc+jwt", "cty": "vc"}, payload,
                                 OKPKey.import_key(private_key), algorithms=["EdDSA"])


@pytest.fixture
def legacy_issued(delivered, monkeypatch):
    """Credentials as the platform issued them before did:web: the issuer and its keys named by the https
    Profile (`<BASE_URL>/credentials/issuer#key-N`) and the JWT in the VC-JOSE-COSE form."""
    from credentials import signing, urls

    with monkeypatch.context() as patched:
        patched.setattr(urls, "issuer_id", urls.profile_url)
        patched.setattr(urls, "verification_method", urls.legacy_verification_method)
        patched.setattr(signing, "encode_jwt", legacy_jwt)
        return issue(delivered.id)


@pytest.fixture(scope="session", autouse=True)
def _independent_verifier():
    """verify.mjs runs as one process for the session (tests/credentials/independent.py); stopped at the end."""
    from tests.credentials.independent import VERIFIER

    yield VERIFIER
    VERIFIER.close()

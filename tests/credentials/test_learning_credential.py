"""Each member's credential says what they did and learned (issue 21 item 6): their business role, a result
per goal against the achievement's result descriptions, their hours, alignments to the business-skills
framework, their own evidence, the JSON Schema it follows, and the sponsor's signed endorsement. Checked here
field by field, by the independent verifiers and by the published JSON Schema; tampered copies fail."""
import json
from datetime import datetime
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator
from sqlalchemy import func, select

from core.extensions import db
from credentials import signing
from credentials.contexts import UndefinedTerm, canonize
from credentials.endorsement import verify_endorsement
from credentials.verification import verify_documents
from learning.models import ProjectEndorsement
from tests.conftest import count_queries
from tests.credentials.conftest import BASE_URL, ENDORSEMENT_TEXT, changed, document, issue
from tests.credentials.independent import fetch_json, published_documents, verify

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "ob_v3p0_achievementcredential_schema.json").read_text())
ACHIEVEMENT_VALIDATOR = Draft201909Validator(SCHEMA, format_checker=Draft201909Validator.FORMAT_CHECKER)
# The EndorsementCredential class as the published AchievementCredential schema defines it (its $defs).
ENDORSEMENT_VALIDATOR = Draft201909Validator({"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"],
                                              "$ref": "#/$defs/EndorsementCredential"},
                                             format_checker=Draft201909Validator.FORMAT_CHECKER)
FRAMEWORK = "Chapterhouse freelance business skills, version 1.0"


def of(issued, person) -> dict:
    return document(next(c for c in issued if c.recipient_id == person.id))


@pytest.fixture
def lea_doc(issued, team):
    return of(issued, team[0])


@pytest.fixture
def sam_doc(issued, team):
    return of(issued, team[1])


def test_the_subject_carries_the_business_role_results_and_hours(sam_doc, lea_doc):
    subject = lea_doc["credentialSubject"]
    assert subject["role"] == "Responsable du budget"  # Léa reads French
    assert subject["creditsEarned"] == 3.5  # 90 + 120 minutes
    assert "3.5" in subject["narrative"]
    project_url = lea_doc["credentialSubject"]["achievement"]["id"].removesuffix("#achievement")
    assert subject["result"] == [
        {"type": ["Result"], "resultDescription": f"{project_url}#result-scoping.pricing",
         "achievedLevel": f"{project_url}#result-scoping.pricing-demonstrated", "value": "Démontrée"},
        {"type": ["Result"], "resultDescription": f"{project_url}#result-relations.reporting",
         "achievedLevel": f"{project_url}#result-relations.reporting-practised", "value": "Pratiquée"}]
    assert "Priced the map's second phase and defended it." in subject["narrative"]
    sam = sam_doc["credentialSubject"]
    assert sam["role"] == "Contributor" and sam["creditsEarned"] == 1.0
    assert [r["achievedLevel"].rsplit("-", 1)[1] for r in sam["result"]] == ["not_shown"]


def test_each_result_points_at_a_level_the_achievement_declares(lea_doc, sam_doc):
    for doc in (lea_doc, sam_doc):
        achievement = doc["credentialSubject"]["achievement"]
        declared = {rd["id"]: {level["id"] for level in rd["rubricCriterionLevel"]}
                    for rd in achievement["resultDescription"]}
        assert len(declared) == 2
        for result in doc["credentialSubject"]["result"]:
            assert result["achievedLevel"] in declared[result["resultDescription"]]


def test_the_achievement_is_the_projects_and_aligns_to_the_framework(sam_doc, lea_doc):
    achievement = sam_doc["credentialSubject"]["achievement"]
    competencies = [a for a in achievement["alignment"] if a["targetType"] == "ceasn:Competency"
                    and a["targetCode"] in ("scoping.pricing", "relations.reporting")]
    assert {a["targetCode"]: a["targetUrl"] for a in competencies} == {
        "relations.reporting": f"{BASE_URL}/learning/relations.reporting",
        "scoping.pricing": f"{BASE_URL}/learning/scoping.pricing"}
    assert {a["targetFramework"] for a in competencies} == {FRAMEWORK}
    assert {a["targetName"] for a in competencies} == {"Pricing", "Progress reporting"}
    rubric = next(rd for rd in achievement["resultDescription"] if rd["id"].endswith("scoping.pricing"))
    assert rubric["resultType"] == "RubricCriterionLevel" and rubric["alignment"][0]["targetCode"] == "scoping.pricing"
    assert [level["name"] for level in rubric["rubricCriterionLevel"]] == ["Demonstrated", "Practised", "Not shown"]
    # The same achievement for the whole team, each in its reader's language.
    french = lea_doc["credentialSubject"]["achievement"]
    assert french["id"] == achievement["id"]
    assert [rd["id"] for rd in french["resultDescription"]] == [rd["id"] for rd in achievement["resultDescription"]]
    assert "Compétences entrepreneuriales du freelance (Chapterhouse), version 1.0" in {
        a.get("targetFramework") for a in french["alignment"]}


def test_the_evidence_is_the_members_own(lea_doc, sam_doc, delivered):
    lea = [(e["genre"], e["id"]) for e in lea_doc["evidence"]]
    assert lea == [("Livrable", f"{BASE_URL}/projects/{delivered.id}/milestones/1#submission-1"),
                   ("Réflexion", f"{BASE_URL}/projects/{delivered.id}/reflections/1")]
    # Sam's deliverable, not his private reflection, and nothing of Léa's.
    assert [(e["genre"], e["id"]) for e in sam_doc["evidence"]] == [
        ("Deliverable", f"{BASE_URL}/projects/{delivered.id}/milestones/2#submission-2")]


def test_credential_schema_names_the_published_schema_as_vc2_defines(lea_doc):
    assert lea_doc["credentialSchema"] == [{
        "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
        "type": "JsonSchema"}]


def test_ob3_own_schema_validator_type_would_fail_json_ld_safe_mode(lea_doc):
    """Why credentialSchema uses VC 2.0's JsonSchema: OB 3.0's type is not defined by context 3.0.3, and
    safe-mode canonicalization (ours, like Digital Bazaar's) refuses the credential that names it."""
    unsigned = signing.unsecured(lea_doc)
    canonize(unsigned)  # as issued: canonicalizes
    with pytest.raises(UndefinedTerm):
        canonize(changed(unsigned, ("credentialSchema", 0, "type"), "1EdTechJsonSchemaValidator2019"))


def test_the_endorsement_is_embedded_signed_in_the_organisations_name(client, lea_doc, sam_doc, delivered):
    endorsement = db.session.scalar(select(ProjectEndorsement))
    stored = json.loads(endorsement.document)  # signed by the issuing job (it was recorded unsigned)
    for doc in (lea_doc, sam_doc):
        assert doc["credentialSubject"]["achievement"]["endorsement"] == [stored]
    assert stored["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert stored["id"] == f"{BASE_URL}/credentials/endorsements/{endorsement.uuid}"
    assert stored["issuer"]["name"] == "Water Trust" and stored["issuer"]["type"] == ["Profile"]
    organisation_id = endorsement.organisation_id
    assert stored["issuer"]["id"] == f"did:web:chapterhouse.example:credentials:endorsers:{organisation_id}"
    assert stored["credentialSubject"] == {"id": f"{BASE_URL}/projects/{delivered.id}#achievement",
                                           "type": ["EndorsementSubject"], "endorsementComment": ENDORSEMENT_TEXT}
    assert stored["proof"][0]["verificationMethod"] == stored["issuer"]["id"] + "#key-1"
    assert stored["credentialSchema"][0]["type"] == "JsonSchema"
    # Served at its own id, as signed.
    response = client.get(f"/credentials/endorsements/{endorsement.uuid}")
    assert response.status_code == 200 and response.mimetype == "application/vc"
    assert json.loads(response.data) == stored
    assert verify_endorsement(stored)


def endorser_documents(client, stored: dict) -> dict:
    """The endorser's DID document, fetched where did:web resolution looks for it."""
    did = stored["issuer"]["id"]
    path = "/" + "/".join(did.split(":")[3:]) + "/did.json"
    fetched = fetch_json(client, path)
    assert fetched["id"] == did
    return {did: fetched}


def test_the_endorsement_verifies_independently_alone_and_inside(client, issued, lea_doc):
    stored = lea_doc["credentialSubject"]["achievement"]["endorsement"][0]
    documents = {**published_documents(client), **endorser_documents(client, stored)}
    status = fetch_json(client, "/credentials/status/1")
    assert verify(documents, stored)["dataIntegrity"] == {"verified": True}
    outer = verify(documents, lea_doc, None, status)
    assert outer["dataIntegrity"]["verified"] is True, outer
    assert verify_documents(lea_doc, None).signature_ok


def test_new_credentials_and_endorsements_follow_the_published_schemas(issued, lea_doc):
    for credential in issued:
        assert [e.message for e in ACHIEVEMENT_VALIDATOR.iter_errors(document(credential))] == []
    stored = lea_doc["credentialSubject"]["achievement"]["endorsement"][0]
    assert [e.message for e in ENDORSEMENT_VALIDATOR.iter_errors(stored)] == []
    assert list(ENDORSEMENT_VALIDATOR.iter_errors({**stored, "type": ["VerifiableCredential"]}))
    without_subject = {k: v for k, v in stored.items() if k != "credentialSubject"}
    assert list(ENDORSEMENT_VALIDATOR.iter_errors(without_subject))
    broken = changed(lea_doc, ("credentialSubject", "result", 0, "type"), "Result")
    assert list(ACHIEVEMENT_VALIDATOR.iter_errors(broken))


TAMPERINGS = {
    "attested level": (("credentialSubject", "result", 1, "achievedLevel"),
                       "https://chapterhouse.example/projects/1#result-relations.reporting-demonstrated"),
    "hours": (("credentialSubject", "creditsEarned"), 35.0),
    "business role": (("credentialSubject", "role"), "Project lead"),
    "alignment framework": (("credentialSubject", "achievement", "alignment", 0, "targetFramework"), "Another"),
    "endorsement comment": (("credentialSubject", "achievement", "endorsement", 0, "credentialSubject",
                             "endorsementComment"), "The best team we ever had."),
    "own evidence": (("evidence", 1, "id"), "https://impostor.example/reflection"),
}


@pytest.mark.parametrize("field", sorted(TAMPERINGS))
def test_a_tampered_learning_field_fails_every_verifier(client, issued, lea_doc, field):
    stored = lea_doc["credentialSubject"]["achievement"]["endorsement"][0]
    documents = {**published_documents(client), **endorser_documents(client, stored)}
    path, value = TAMPERINGS[field]
    tampered = changed(lea_doc, path, value)
    assert verify(documents, tampered)["dataIntegrity"]["verified"] is False
    assert not verify_documents(tampered, None).signature_ok


def test_a_tampered_endorsement_fails_alone(client, issued, lea_doc):
    stored = lea_doc["credentialSubject"]["achievement"]["endorsement"][0]
    documents = {**published_documents(client), **endorser_documents(client, stored)}
    tampered = changed(stored, ("credentialSubject", "endorsementComment"), "Forged praise.")
    assert verify(documents, tampered)["dataIntegrity"]["verified"] is False
    assert not verify_endorsement(tampered)
    # Claimed by another organisation: the proof names the first one's key, the issuer check fails.
    other = changed(stored, ("issuer", "id"), stored["issuer"]["id"].rsplit(":", 1)[0] + ":999")
    assert verify(documents, other)["dataIntegrity"]["verified"] is False
    assert not verify_endorsement(other)


def test_endorser_documents_exist_only_for_organisations(client, issued):
    assert client.get("/credentials/endorsers/999/did.json").status_code == 404
    assert client.get("/credentials/endorsements/00000000-0000-4000-8000-000000000000").status_code == 404
    assert client.get("/credentials/endorsements/not-a-uuid").status_code == 404


def test_issued_credentials_never_change(delivered, issued):
    """Issuing again (a member added later, a new endorsement) leaves what was issued byte for byte."""
    from credentials.issuing import issue_for_project

    before = {c.uuid: (c.document, c.jwt) for c in issued}
    endorsement = db.session.scalar(select(ProjectEndorsement))
    endorsement.text = "Changed after issuance."
    db.session.commit()
    issue_for_project(delivered.id)
    db.session.commit()
    again = issue(delivered.id)
    assert {c.uuid: (c.document, c.jwt) for c in again} == before


def test_a_member_without_learning_records_gets_the_plain_credential(app, chapter, lead):
    """No business role, goals, hours or deliverables: the subject says only the team role, and the
    credential still verifies and follows the schema."""
    from tests.factories import make_delivered_project, make_user

    quiet = make_user("quiet", email="quiet@example.org")
    project = make_delivered_project(chapter, team=(quiet,), title="Quiet project")
    doc = document(issue(project.id)[0])
    subject = doc["credentialSubject"]
    assert subject["role"] == "Contributor"
    assert not {"result", "creditsEarned", "narrative"} & set(subject)
    assert "evidence" not in doc and "endorsement" not in subject["achievement"]
    assert [e.message for e in ACHIEVEMENT_VALIDATOR.iter_errors(doc)] == []
    assert verify_documents(doc, None).signature_ok


def test_members_work_reads_any_number_of_teams_in_five_statements(app, delivered, chapter):
    from credentials.issuing import members_work
    from projects.models import Project
    from tests.credentials.conftest import add_learning
    from tests.factories import make_delivered_project, make_user

    def statements() -> int:
        with count_queries() as queries:
            work = members_work(db.session, select(Project.id).where(Project.status == "delivered"))
        assert len(work) == 2 * db.session.scalar(select(func.count()).select_from(ProjectEndorsement))
        return len(queries)

    one_team = statements()
    for n in range(3):
        pair = (make_user(), make_user())
        add_learning(make_delivered_project(chapter, team=pair, title=f"Other {n}"), *pair, make_user())
    assert statements() == one_team == 5


def test_the_credential_page_shows_the_role_goals_hours_and_endorsement(client, issued, team):
    lea, sam = (next(c for c in issued if c.recipient_id == person.id) for person in team)
    page = client.get(f"/credentials/{lea.uuid}").get_data(as_text=True)
    assert "Business role" in page and "Responsable du budget" in page
    assert "<dt class=\"col-sm-4\">Hours logged</dt>\n      <dd class=\"col-sm-8\">3.5</dd>" in page
    assert "Objectif d’apprentissage : Fixer ses prix — <strong>Démontrée</strong>" in page
    assert ENDORSEMENT_TEXT in page and "Endorsement by Water Trust" in page
    endorsement = db.session.scalar(select(ProjectEndorsement))
    assert f'href="{BASE_URL}/credentials/endorsements/{endorsement.uuid}"' in page
    # Sam's team role is his role: no business role line; his goal not shown is still listed.
    page = client.get(f"/credentials/{sam.uuid}").get_data(as_text=True)
    assert "Business role" not in page and "Learning goal: Progress reporting — <strong>Not shown</strong>" in page


OLD = json.loads((Path(__file__).parent / "fixtures" / "issued_before_learning.json").read_text())


def test_credentials_issued_before_this_change_still_verify(app, client, chapter):
    """Credentials issued by the previous version, stored as they were (byte for byte, from the fixture),
    verify against what the site publishes now (its keys and status list) with Digital Bazaar's stack, jose,
    our verifier and the published schema; the site serves them unchanged."""
    from credentials.models import Credential
    from credentials.verification import verify_credential
    from tests.factories import make_delivered_project

    app.config["CREDENTIAL_SIGNING_KEYS"] = OLD["test_only_signing_key"]
    project = make_delivered_project(chapter, title="Clean water map")
    for old in OLD["credentials"]:
        status = old["document"]["credentialStatus"]
        db.session.add(Credential(
            uuid=old["document"]["id"].rsplit("/", 1)[1], recipient_id=None, project_id=project.id, role="contributor",
            locale="en", key_id="key-1", issued_at=datetime.fromisoformat(old["document"]["validFrom"][:-1]),
            status_list_number=int(status["statusListCredential"].rsplit("/", 1)[1]),
            status_list_index=int(status["statusListIndex"]),
            document=json.dumps(old["document"], ensure_ascii=False, separators=(",", ":")), jwt=old["jwt"]))
    db.session.commit()
    documents = published_documents(client)
    status_list = fetch_json(client, "/credentials/status/1")
    for old, stored in zip(OLD["credentials"], db.session.scalars(select(Credential).order_by(Credential.id))):
        signed, jwt = old["document"], old["jwt"]
        assert "result" not in signed["credentialSubject"] and "credentialSchema" not in signed
        served = client.get(f"/credentials/{stored.uuid}.json")
        assert json.loads(served.data) == signed
        result = verify(documents, json.loads(served.data), jwt, status_list)
        assert result["dataIntegrity"] == {"verified": True, "status": {"verified": True, "revoked": False}}, result
        assert result["jwt"]["verified"] is True, result
        assert verify_credential(stored).ok
        assert [e.message for e in ACHIEVEMENT_VALIDATOR.iter_errors(signed)] == []
    tampered = changed(OLD["credentials"][0]["document"], ("credentialSubject", "role"), "Mentor")
    assert verify(documents, tampered, None, status_list)["dataIntegrity"]["verified"] is False


def test_the_lead_who_led_the_project_earns_a_lead_credential(app, client, chapter, lead, team):
    """Who proposed and who delivered the project, while they lead the chapter, get a "Project lead" credential:
    its own achievement, aligned to what leading exercises; once, even when the job runs again."""
    from core import audit
    from credentials.issuing import issue_for_project
    from tests.factories import add_member, make_delivered_project, make_user

    co_lead = add_member(chapter, make_user("colead", email="colead@example.org"), role="co_lead")
    former = make_user("former")  # proposed it, but no longer leads the chapter: no credential
    project = make_delivered_project(chapter, team=team[1:], title="Food map")
    project.created_by_id = former.id
    audit.record(co_lead, "project", project.id, "deliver", "active", "delivered")
    db.session.commit()
    credentials = issue(project.id)
    assert sorted(c.role for c in credentials) == ["contributor", "project_lead"]
    led = next(c for c in credentials if c.role == "project_lead")
    assert led.recipient_id == co_lead.id
    doc = document(led)
    subject = doc["credentialSubject"]
    assert subject["role"] == "Project lead" and doc["name"] == "Food map — Project lead"
    assert subject["achievement"]["id"].endswith(f"/projects/{project.id}#lead-achievement")
    assert "Lead “Food map” for the Lyon Makers chapter" in subject["achievement"]["criteria"]["narrative"]
    leading = [a["targetCode"] for a in subject["achievement"]["alignment"] if a["targetType"] == "ceasn:Competency"
               and "." in a["targetCode"]]
    assert leading == ["sales.pitching", "scoping.requirements", "delivery.planning", "relations.reporting",
                       "relations.feedback"]
    assert [e.message for e in ACHIEVEMENT_VALIDATOR.iter_errors(doc)] == []
    assert verify_documents(doc, led.jwt).signature_ok
    issue_for_project(project.id)
    db.session.commit()
    assert len(issue(project.id)) == 2
    assert "Project lead" in client.get(f"/credentials/{led.uuid}").get_data(as_text=True)


def test_a_lead_on_the_team_gets_the_lead_credential_with_their_own_work(app, delivered, team, lead):
    """Léa leads the chapter too and delivered the project: one credential, the lead's, carrying her goals."""
    from chapters.models import ChapterMembership
    from core import audit

    lea = team[0]
    db.session.add(ChapterMembership(chapter_id=delivered.chapter_id, user_id=lea.id, role="co_lead"))
    audit.record(lea, "project", delivered.id, "deliver", "active", "delivered")
    db.session.commit()
    credentials = issue(delivered.id)
    assert sorted(c.role for c in credentials) == ["contributor", "project_lead"]
    doc = of(credentials, lea)
    subject = doc["credentialSubject"]
    assert subject["role"] == "Responsable du projet" and subject["creditsEarned"] == 3.5
    assert len(subject["result"]) == 2 and "endorsement" not in subject["achievement"]
    assert [e.message for e in ACHIEVEMENT_VALIDATOR.iter_errors(doc)] == []

"""`flask seed-demo` covers goals and attestations: the active team has goals (one attested, so delivery
names who waits), the delivered projects' goals are all attested (and their credentials carry them, with the
sponsor's endorsement on the chatbot), and Ines is asked to pick hers on the recruiting project."""
import json

from sqlalchemy import func, select

from accounts.models import User
from core.extensions import db
from learning import queries
from credentials.models import Credential
from learning.models import GoalAttestation, LearningGoal
from projects.models import Project


def test_seed_demo_gives_goals_and_attestations(runner, client, auth):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    active = db.session.scalar(select(Project).where(Project.title == "Bookkeeping clinic for associations"))
    delivered = db.session.scalar(select(Project).where(Project.title == "Food bank volunteer scheduler"))
    assert queries.waiting_for_attestation(active) == ["Inès Moreau", "Tom Becker"]
    assert queries.waiting_for_attestation(delivered) == []
    assert db.session.scalar(select(func.count()).select_from(LearningGoal)
                             .where(LearningGoal.project_id == delivered.id)) == 3
    assert db.session.scalar(select(func.count()).select_from(GoalAttestation)) == 4 + 2  # 2 on the chatbot
    assert queries.shown_counts()["sales.discovery"] == 1
    # The credentials were issued after the attestations: Priya's carry her results and hours.
    chatbot = db.session.scalar(select(Project).where(Project.title == "Tenant rights chatbot"))
    for project, levels in ((delivered, ["demonstrated", "practised"]), (chatbot, ["demonstrated", "practised"])):
        document = json.loads(db.session.scalar(
            select(Credential.document).join(User, User.id == Credential.recipient_id)
            .where(Credential.project_id == project.id, User.handle == "priya")))
        subject = document["credentialSubject"]
        assert [r["achievedLevel"].rsplit("-", 1)[1] for r in subject["result"]] == levels
        assert subject["creditsEarned"] > 0 and document["evidence"]
    chatbot_credential = json.loads(db.session.scalar(select(Credential.document)
                                                      .where(Credential.project_id == chatbot.id)))
    endorsement = chatbot_credential["credentialSubject"]["achievement"]["endorsement"][0]
    assert endorsement["issuer"]["name"] == "Cloudbridge" and "chatbot" in endorsement["credentialSubject"][
        "endorsementComment"]
    # Priya's portfolio shows a competency profile across both delivered projects, with her evidence.
    portfolio = client.get("/u/priya").get_data(as_text=True)
    assert portfolio.count('class="chart-bar"') >= 4 and 'data-level="demonstrated"' in portfolio
    assert "Food bank volunteer scheduler</a>: Practised" in portfolio and "Reflection on" in portfolio
    auth.login_as(db.session.scalar(select(User).where(User.handle == "ines")))
    assert "Choisissez vos objectifs d’apprentissage" in client.get("/me").get_data(as_text=True)  # she reads French

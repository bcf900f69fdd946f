"""`flask seed-scale` covers learning: every project practises 2 to 6 framework competencies and each business
role practises 1 to 3 of its own project's."""
from collections import Counter

from sqlalchemy import func, select

from core.extensions import db
from learning import framework
from learning.models import ProjectBusinessRole, business_role_competency
from projects.models import Project, ProjectCompetency


def test_seed_scale_gives_projects_competencies_and_business_roles(runner):
    result = runner.invoke(args=["seed-scale", "--scale", "0.001", "--projects", "100", "--applications", "500",
                                 "--milestones", "150", "--business-roles", "40", "--quiet"])
    assert result.exit_code == 0, result.output
    per_project = Counter(db.session.scalars(select(ProjectCompetency.project_id)))
    assert len(per_project) == db.session.scalar(select(func.count()).select_from(Project)) == 100
    assert all(2 <= n <= 6 for n in per_project.values())
    assert set(db.session.scalars(select(ProjectCompetency.code).distinct())) <= framework.codes()
    assert db.session.scalar(select(func.count()).select_from(ProjectBusinessRole)) == 40
    per_role = Counter(db.session.scalars(select(business_role_competency.c.role_id)))
    assert len(per_role) == 40 and all(1 <= n <= 3 for n in per_role.values())
    # The composite key keeps each role's competencies among its project's (the database refuses others).
    mismatched = db.session.scalar(
        select(func.count()).select_from(business_role_competency)
        .join(ProjectBusinessRole, ProjectBusinessRole.id == business_role_competency.c.role_id)
        .where(ProjectBusinessRole.project_id != business_role_competency.c.project_id))
    assert mismatched == 0
    labels = db.session.execute(select(ProjectBusinessRole.project_id, ProjectBusinessRole.kind,
                                       ProjectBusinessRole.name)).all()
    assert len(set(labels)) == len(labels)  # no project has the same role twice


def test_seed_scale_gives_team_members_goals_and_delivered_projects_attestations(runner):
    from learning.models import GoalAttestation, LearningGoal
    from projects.models import TeamMember

    result = runner.invoke(args=["seed-scale", "--scale", "0.001", "--projects", "100", "--applications", "800",
                                 "--milestones", "150", "--business-roles", "40", "--quiet"])
    assert result.exit_code == 0, result.output
    per_place = Counter(db.session.scalars(select(LearningGoal.team_member_id)))
    assert per_place and all(1 <= n <= 3 for n in per_place.values())
    # Every goal is one of its project's competencies (the composite key), on its own project's team.
    assert db.session.scalar(select(func.count()).select_from(LearningGoal).join(TeamMember)
                             .where(TeamMember.project_id != LearningGoal.project_id)) == 0
    waiting_delivered = db.session.scalar(
        select(func.count()).select_from(LearningGoal).join(Project, Project.id == LearningGoal.project_id)
        .outerjoin(GoalAttestation, GoalAttestation.goal_id == LearningGoal.id)
        .where(Project.status == "delivered", GoalAttestation.id.is_(None)))
    assert waiting_delivered == 0
    assert db.session.scalar(select(func.count()).select_from(GoalAttestation)) > 0
    own = db.session.scalar(select(func.count()).select_from(GoalAttestation)
                            .join(LearningGoal, LearningGoal.id == GoalAttestation.goal_id).join(TeamMember)
                            .where(TeamMember.user_id == GoalAttestation.attested_by_id))
    assert own == 0


def test_seed_scale_endorses_delivered_projects_and_credentials_carry_learning(runner):
    """Endorsements by a member of a confirmed sponsor, signed in the organisation's name; the credentials of
    an endorsed project embed it, and carry each holder's attested goals and hours."""
    import json

    from credentials.endorsement import verify_endorsement
    from credentials.models import Credential
    from learning.models import ProjectEndorsement
    from sponsors.models import SponsorMember, Sponsorship

    result = runner.invoke(args=["seed-scale", "--scale", "0.002", "--projects", "150", "--quiet"])
    assert result.exit_code == 0, result.output
    endorsements = db.session.scalars(select(ProjectEndorsement)).all()
    assert endorsements
    for endorsement in endorsements:
        assert db.session.scalar(select(Project.status).where(Project.id == endorsement.project_id)) == "delivered"
        assert db.session.scalar(select(func.count()).select_from(Sponsorship).where(
            Sponsorship.project_id == endorsement.project_id, Sponsorship.status == "confirmed",
            Sponsorship.organisation_id == endorsement.organisation_id))
        assert db.session.scalar(select(SponsorMember.role).where(
            SponsorMember.organisation_id == endorsement.organisation_id,
            SponsorMember.user_id == endorsement.author_id))
        document = json.loads(endorsement.document)
        assert document["credentialSubject"]["endorsementComment"] == endorsement.text
        assert verify_endorsement(document)
    endorsed = {e.project_id: json.loads(e.document) for e in endorsements}
    documents = [json.loads(d) for d in db.session.scalars(select(Credential.document)
                                                           .where(Credential.project_id.in_(endorsed)))]
    assert documents and all(d["credentialSubject"]["achievement"]["endorsement"] == [endorsed[
        int(d["credentialSubject"]["achievement"]["id"].split("/projects/")[1].split("#")[0])]] for d in documents)
    every = [json.loads(d) for d in db.session.scalars(select(Credential.document))]
    assert any(d["credentialSubject"].get("result") for d in every)
    assert any(d["credentialSubject"].get("creditsEarned") for d in every)

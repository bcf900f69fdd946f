"""The demo data: delivered projects whose teams hold verifiable credentials, and one revoked."""
from sqlalchemy import func, select

from core.extensions import db
from credentials import queries
from credentials.demo import REVOCATION_REASON
from credentials.models import Credential
from credentials.verification import verify_credential
from projects.models import Project


def test_the_demo_has_delivered_projects_with_verifying_credentials_and_one_revoked(runner):
    assert runner.invoke(args=["seed-demo", "--quiet"]).exit_code == 0
    delivered = db.session.scalars(select(Project.id).where(Project.status == "delivered")).all()
    assert len(delivered) >= 2
    for project_id in delivered:
        assert db.session.scalar(select(func.count()).select_from(Credential)
                                 .where(Credential.project_id == project_id)) >= 1
    results = {c.uuid: verify_credential(queries.by_uuid(c.uuid)) for c in db.session.scalars(select(Credential))}
    revoked = [uuid for uuid, result in results.items() if result.revoked]
    assert len(revoked) == 1 and results[revoked[0]].reason == REVOCATION_REASON
    assert all(result.signature_ok and result.jwt_ok and result.issuer_ok for result in results.values())
    assert all(result.ok for uuid, result in results.items() if uuid not in revoked)

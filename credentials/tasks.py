"""Credential jobs. Issuing Open Badges 3.0 credentials is built in the credentials issue;
until then delivery records that the hook ran, so no delivery is lost silently."""
from flask import current_app


def issue_for_project(project_id: int) -> None:
    """Issue one credential per remaining team member of a delivered project (credentials issue)."""
    current_app.logger.info("Project %s delivered: credential issuing arrives with the credentials issue.",
                            project_id)

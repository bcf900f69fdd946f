"""What projects hold about a member, for their data export: their applications, places on teams,
their own submissions with the files they uploaded, and the reviews they wrote. When they delete their account,
their applications go (their motivation is theirs); team places, deliverables and reviews stay with the team,
under the pseudonym of the account row."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from core.extensions import db
from core.personal_data import Erasure, eraser, part, scrub_json
from core import uploads
from projects.models import Application, Milestone, Project, ProjectActivity, Review, Submission, TeamMember


@part("projects", _l("applications.json: your applications and their answers; teams.json: the teams you were on, "
                     "with your role and dates; submissions.json and files/: the work you submitted, with the files "
                     "you uploaded; reviews_written.json: the reviews you wrote as a sponsor's reviewer."))
def projects(user) -> dict:
    applications = db.session.execute(
        select(Project.title.label("project"), Application.project_id, Application.motivation,
               Application.portfolio_url, Application.status, Application.decision_message,
               Application.created_at, Application.decided_at)
        .join(Project, Project.id == Application.project_id).where(Application.user_id == user.id)
        .order_by(Application.created_at))
    teams = db.session.execute(
        select(Project.title.label("project"), TeamMember.project_id, TeamMember.role, TeamMember.joined_at,
               TeamMember.left_at, TeamMember.removal_reason)
        .join(Project, Project.id == TeamMember.project_id).where(TeamMember.user_id == user.id)
        .order_by(TeamMember.joined_at))
    submissions = db.session.execute(
        select(Submission, Milestone.title, Project.title).join(Milestone, Milestone.id == Submission.milestone_id)
        .join(Project, Project.id == Milestone.project_id).where(Submission.author_id == user.id)
        .order_by(Submission.created_at))
    files, submitted = {}, []
    for submission, milestone, project in submissions:
        entry = {"project": project, "milestone": milestone, "note": submission.note, "link": submission.link,
                 "created_at": submission.created_at, "withdrawn_at": submission.withdrawn_at, "file": None}
        if submission.file_key and uploads.path_for(submission.file_key).exists():
            name = f"files/{submission.id}-{submission.file_name}"
            entry["file"] = f"projects/{name}"  # its path in the zip
            files[name] = uploads.path_for(submission.file_key).read_bytes()
        submitted.append(entry)
    reviews = db.session.execute(
        select(Project.title.label("project"), Milestone.title.label("milestone"), Review.decision, Review.comment,
               Review.created_at)
        .join(Milestone, Milestone.id == Review.milestone_id).join(Project, Project.id == Milestone.project_id)
        .where(Review.reviewer_id == user.id).order_by(Review.created_at))
    return {"applications.json": [row._asdict() for row in applications],
            "teams.json": [row._asdict() for row in teams],
            "submissions.json": submitted, **files,
            "reviews_written.json": [row._asdict() for row in reviews]}


@eraser("projects")
def erase_applications(erasure: Erasure) -> None:
    db.session.execute(delete(Application).where(Application.user_id == erasure.user_id))
    scrub_json(ProjectActivity, ProjectActivity.params, erasure)  # "… joined the team" in project feeds

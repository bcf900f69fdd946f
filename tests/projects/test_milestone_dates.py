"""A milestone is due within its project's dates: the form says so next to the field, the service refuses too."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.errors import FieldError
from core.extensions import db
from projects import milestones
from projects.models import Milestone
from tests.conftest import fresh
from tests.factories import make_chapter, make_project, make_user

TODAY = date.today()


@pytest.fixture
def world(app):
    lead = make_user("lead")
    project = make_project(make_chapter(lead), status="recruiting")  # from today to today + 60 days
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
    return {"lead": lead, "project": project, "milestone": milestone}


def count():
    return db.session.scalar(select(db.func.count()).select_from(Milestone))


@pytest.mark.parametrize("due, message", [
    (TODAY + timedelta(days=61), "A milestone cannot be due after the project ends"),
    (TODAY - timedelta(days=1), "A milestone cannot be due before the project starts"),
])
def test_a_new_milestone_outside_the_projects_dates_is_refused_next_to_the_field(client, auth, world, due, message):
    auth.login_as(world["lead"])
    before = count()
    response = client.post(f"/projects/{world['project'].id}/milestones/new",
                           data={"title": "Launch", "due_date": due.isoformat()})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="due_date-error"' in body and message in body
    assert count() == before


def test_an_edit_outside_the_projects_dates_is_refused_and_changes_nothing(client, auth, world):
    auth.login_as(world["lead"])
    milestone = world["milestone"]
    kept = milestone.due_date
    response = client.post(f"/projects/{world['project'].id}/milestones/{milestone.id}/edit",
                           data={"title": "Renamed", "due_date": (TODAY + timedelta(days=90)).isoformat()})
    assert response.status_code == 400 and "cannot be due after the project ends" in response.get_data(as_text=True)
    assert fresh(milestone).title == "Milestone 1" and fresh(milestone).due_date == kept


@pytest.mark.parametrize("offset", [0, 60])
def test_the_first_and_last_day_of_the_project_are_fine(client, auth, world, offset):
    auth.login_as(world["lead"])
    response = client.post(f"/projects/{world['project'].id}/milestones/new",
                           data={"title": "Edge", "due_date": (TODAY + timedelta(days=offset)).isoformat()})
    assert response.status_code == 302
    assert db.session.scalar(select(Milestone).where(Milestone.title == "Edge")) is not None


def test_a_project_without_dates_takes_any_due_date(client, auth, world):
    project = world["project"]
    project.start_date = project.end_date = None
    db.session.commit()
    auth.login_as(world["lead"])
    response = client.post(f"/projects/{project.id}/milestones/new",
                           data={"title": "Far", "due_date": "2040-01-01"})
    assert response.status_code == 302


def test_the_service_refuses_what_the_form_would(world):
    with pytest.raises(FieldError) as refused:
        milestones.add_milestone(world["project"], world["lead"], title="Late", description="",
                                 due_date=TODAY + timedelta(days=61))
    assert "due_date" in refused.value.errors
    with pytest.raises(FieldError):
        milestones.update_milestone(world["milestone"], world["lead"], title="Early", description="",
                                    due_date=TODAY - timedelta(days=1))
    db.session.rollback()
    assert fresh(world["milestone"]).title == "Milestone 1"

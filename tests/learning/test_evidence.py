"""Evidence kept as the work happens: team members log time on milestones and reflect on the deliverables they
submit; bad input is refused next to its field with a 400 and changes nothing; the rules decide who sees what."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.extensions import db
from learning import evidence
from learning.models import Reflection, TimeEntry
from projects.models import Milestone, Submission, TeamMember
from tests.factories import make_admin, make_chapter, make_project, make_user

TODAY = date.today()
REFLECTION = {"did": "I interviewed the treasurers and wrote the survey.",
              "learned": "Scoping the questions with the client first saves a round of changes.",
              "differently": "I would agree on the deadline for answers before sending the survey."}


@pytest.fixture
def world(app):
    lead = make_user("lead")
    chapter = make_chapter(lead, name="Lyon")
    member, mentor, other = make_user("member", name="Ines Member"), make_user("mentor"), make_user("other")
    project = make_project(chapter, status="active", team=(member, mentor, other), milestones=2)
    project.start_date = TODAY - timedelta(days=30)
    db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id,
                                               TeamMember.user_id == mentor.id)).role = "mentor"
    first, second = db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)
                                       .order_by(Milestone.position)).all()
    first.status = "submitted"
    submission = Submission(milestone_id=first.id, author_id=member.id, note="Survey", link="https://example.org/s")
    db.session.add(submission)
    db.session.commit()
    return {"lead": lead, "chapter": chapter, "member": member, "mentor": mentor, "other": other,
            "outsider": make_user("outsider"), "project": project, "milestone": first, "second": second,
            "submission": submission}


def entries():
    db.session.expire_all()
    return db.session.execute(select(TimeEntry.user_id, TimeEntry.milestone_id, TimeEntry.day, TimeEntry.minutes,
                                     TimeEntry.note).order_by(TimeEntry.id)).all()


def reflections():
    db.session.expire_all()
    return db.session.execute(select(Reflection.author_id, Reflection.did, Reflection.learned,
                                     Reflection.differently, Reflection.public).order_by(Reflection.id)).all()


def time_url(w, milestone=None):
    return f"/projects/{w['project'].id}/milestones/{(milestone or w['milestone']).id}/time"


def log(w, user, day=TODAY, hours="1.5", note="Interviews", milestone=None):
    return evidence.log_time(milestone or w["milestone"], user, day=day, hours=hours, note=note)


# ---- time entries ----

def test_a_member_logs_time_and_the_milestone_page_shows_it(client, auth, world):
    auth.login_as(world["member"])
    response = client.post(time_url(world), data={"day": (TODAY - timedelta(days=1)).isoformat(), "hours": "2.25",
                                                  "note": "  Drafted   the survey "})
    assert response.status_code == 302
    assert entries() == [(world["member"].id, world["milestone"].id, TODAY - timedelta(days=1), 135,
                          "Drafted the survey")]
    page = client.get(f"/projects/{world['project'].id}/milestones/{world['milestone'].id}").get_data(as_text=True)
    assert "Drafted the survey" in page and "2.25" in page and "Ines Member" in page


@pytest.mark.parametrize("fields, field, message", [
    ({"hours": "-1"}, "hours", "above zero"),
    ({"hours": "0"}, "hours", "above zero"),
    ({"hours": "25"}, "hours", "at most 24 hours"),
    ({"hours": "abc"}, "hours", "as a number"),
    ({"hours": "NaN"}, "hours", "as a number"),
    ({"hours": ""}, "hours", ""),
    ({"note": ""}, "note", ""),
    ({"note": "x" * 201}, "note", "at most 200 characters"),
    ({"day": (TODAY + timedelta(days=1)).isoformat()}, "day", "in the future"),
    ({"day": (TODAY - timedelta(days=31)).isoformat()}, "day", "before the project started"),
    ({"day": "not a date"}, "day", ""),
])
def test_bad_time_is_refused_next_to_its_field_and_changes_nothing(client, auth, world, fields, field, message):
    auth.login_as(world["member"])
    data = {"day": TODAY.isoformat(), "hours": "1", "note": "Interviews", **fields}
    response = client.post(time_url(world), data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert entries() == []


def test_a_day_holds_at_most_24_hours_across_entries_and_projects(client, auth, world):
    other_project = make_project(world["chapter"], status="active", team=(world["member"],))
    other_project.start_date = TODAY - timedelta(days=3)
    db.session.commit()
    other_milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == other_project.id))
    evidence.log_time(other_milestone, world["member"], day=TODAY, hours="20", note="Long day")
    auth.login_as(world["member"])
    before = entries()
    response = client.post(time_url(world), data={"day": TODAY.isoformat(), "hours": "4.5", "note": "More"})
    assert response.status_code == 400 and "more than 24 hours" in response.get_data(as_text=True)
    assert entries() == before
    assert client.post(time_url(world), data={"day": TODAY.isoformat(), "hours": "4", "note": "More"}
                       ).status_code == 302
    assert sum(row.minutes for row in entries()) == 24 * 60


def test_an_absurd_total_on_one_milestone_is_refused(client, auth, world):
    for days in range(1, 21):  # 20 days × 24 h = 480 h
        log(world, world["member"], day=TODAY - timedelta(days=days), hours="24")
    auth.login_as(world["member"])
    before = entries()
    response = client.post(time_url(world), data={"day": TODAY.isoformat(), "hours": "20.5", "note": "More"})
    assert response.status_code == 400 and "500 hours" in response.get_data(as_text=True)
    assert entries() == before
    # The bound is per milestone: the next one takes the same hours.
    assert client.post(time_url(world, world["second"]), data={"day": TODAY.isoformat(), "hours": "20.5",
                                                              "note": "More"}).status_code == 302


@pytest.mark.parametrize("who", ["lead", "outsider", "mentor_on_other_project"])
def test_logging_on_someone_elses_project_is_refused(client, auth, world, who):
    user = world["lead"] if who == "lead" else world["outsider"]
    if who == "mentor_on_other_project":
        user = make_user("elsewhere")
        make_project(world["chapter"], status="active", team=(user,))
    auth.login_as(user)
    response = client.post(time_url(world), data={"day": TODAY.isoformat(), "hours": "1", "note": "Sneaky"})
    assert response.status_code == 403
    assert entries() == []


@pytest.mark.parametrize("status", ["delivered", "cancelled"])
def test_logging_editing_and_deleting_stop_when_the_project_is_closed(client, auth, world, status):
    entry = log(world, world["member"])
    world["project"].status = status
    db.session.commit()
    auth.login_as(world["member"])
    before = entries()
    assert client.post(time_url(world), data={"day": TODAY.isoformat(), "hours": "1",
                                              "note": "Late"}).status_code == 403
    assert client.post(f"/projects/{world['project'].id}/time/{entry.id}/edit",
                       data={"day": TODAY.isoformat(), "hours": "3", "note": "Changed"}).status_code == 403
    assert client.post(f"/projects/{world['project'].id}/time/{entry.id}/delete").status_code == 403
    assert entries() == before


def test_a_member_edits_and_deletes_only_their_own_entries(client, auth, world):
    mine, theirs = log(world, world["member"]), log(world, world["other"], hours="2")
    auth.login_as(world["member"])
    project_id = world["project"].id
    assert client.get(f"/projects/{project_id}/time/{mine.id}/edit").status_code == 200
    assert client.post(f"/projects/{project_id}/time/{mine.id}/edit",
                       data={"day": TODAY.isoformat(), "hours": "3", "note": "Changed"}).status_code == 302
    assert client.post(f"/projects/{project_id}/time/{theirs.id}/edit",
                       data={"day": TODAY.isoformat(), "hours": "9", "note": "Hijack"}).status_code == 403
    assert client.post(f"/projects/{project_id}/time/{theirs.id}/delete").status_code == 403
    assert [(row.user_id, row.minutes, row.note) for row in entries()] == [
        (world["member"].id, 180, "Changed"), (world["other"].id, 120, "Interviews")]
    bad = client.post(f"/projects/{project_id}/time/{mine.id}/edit",
                      data={"day": TODAY.isoformat(), "hours": "-2", "note": "Changed"})
    assert bad.status_code == 400 and 'id="hours-error"' in bad.get_data(as_text=True)
    assert client.post(f"/projects/{project_id}/time/{mine.id}/delete").status_code == 302
    assert [row.user_id for row in entries()] == [world["other"].id]


def test_an_edit_may_keep_the_days_24_hours(client, auth, world):
    entry = log(world, world["member"], hours="24")
    auth.login_as(world["member"])
    response = client.post(f"/projects/{world['project'].id}/time/{entry.id}/edit",
                           data={"day": TODAY.isoformat(), "hours": "24", "note": "Whole day"})
    assert response.status_code == 302  # its own 24 hours are not counted twice


def test_an_entry_of_another_project_is_not_found_through_this_one(client, auth, world):
    entry = log(world, world["member"])
    other = make_project(world["chapter"], status="active", team=(world["member"],))
    auth.login_as(world["member"])
    assert client.get(f"/projects/{other.id}/time/{entry.id}/edit").status_code == 404


@pytest.mark.parametrize("viewer, sees_everyone", [("member", False), ("mentor", True), ("lead", True),
                                                   ("other", False)])
def test_hours_are_seen_by_the_member_leads_and_mentors(client, auth, world, viewer, sees_everyone):
    log(world, world["member"], hours="2", note="Member's secret note")
    log(world, world["other"], hours="3", note="Other's note")
    auth.login_as(world[viewer])
    project_id = world["project"].id
    page = client.get(f"/projects/{project_id}/milestones/{world['milestone'].id}").get_data(as_text=True)
    member_link = f"/projects/{project_id}/time/members/{world['member'].id}"
    assert (member_link in page) is (sees_everyone or viewer == "member")
    project_page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert (member_link in project_page) is (sees_everyone or viewer == "member")
    response = client.get(member_link)
    allowed = sees_everyone or viewer == "member"
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        assert "Member&#39;s secret note" in response.get_data(as_text=True)


def test_a_visitor_sees_no_hours_and_is_asked_to_sign_in(client, world):
    log(world, world["member"], note="Member's secret note")
    page = client.get(f"/projects/{world['project'].id}/milestones/{world['milestone'].id}").get_data(as_text=True)
    assert "secret note" not in page and "/time/members/" not in page
    response = client.get(f"/projects/{world['project'].id}/time/members/{world['member'].id}")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


# ---- reflections ----

def reflection_url(w, submission=None):
    url = f"/projects/{w['project'].id}/milestones/{w['milestone'].id}/reflection"
    return f"{url}?submission={submission.id}" if submission else url


def test_the_milestone_page_asks_the_author_to_reflect_and_the_reflection_is_saved(client, auth, world):
    auth.login_as(world["member"])
    page = client.get(f"/projects/{world['project'].id}/milestones/{world['milestone'].id}").get_data(as_text=True)
    assert "Write your reflection" in page and reflection_url(world, world["submission"]).replace("?", "") in \
        page.replace("&amp;", "&").replace("?", "")
    assert client.get(reflection_url(world)).status_code == 200
    assert client.post(reflection_url(world), data=REFLECTION).status_code == 302
    assert reflections() == [(world["member"].id, REFLECTION["did"], REFLECTION["learned"],
                              REFLECTION["differently"], False)]
    page = client.get(f"/projects/{world['project'].id}/milestones/{world['milestone'].id}").get_data(as_text=True)
    assert "Write your reflection" not in page and "Reflection by Ines Member" in page
    # Editing replaces the texts of the same reflection.
    assert client.post(reflection_url(world), data={**REFLECTION, "did": "I ran the whole survey myself."}
                       ).status_code == 302
    assert [row.did for row in reflections()] == ["I ran the whole survey myself."]


@pytest.mark.parametrize("field, value, message", [
    ("did", "", "at least 20"), ("learned", "Too short.", "at least 20"),
    ("differently", "x" * 2001, "at most 2000"), ("did", " " * 30, "at least 20")])
def test_empty_or_overlong_reflections_are_refused_next_to_the_field(client, auth, world, field, value, message):
    auth.login_as(world["member"])
    response = client.post(reflection_url(world), data={**REFLECTION, field: value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert reflections() == []


@pytest.mark.parametrize("who, status", [("other", 404), ("lead", 404), ("outsider", 404)])
def test_only_the_author_reflects_on_a_submission(client, auth, world, who, status):
    auth.login_as(world[who])
    assert client.post(reflection_url(world, world["submission"]), data=REFLECTION).status_code == status
    assert reflections() == []


def test_no_reflection_is_written_or_edited_once_the_project_is_delivered(client, auth, world):
    evidence.reflect(evidence_queries_submission(world), world["member"], **REFLECTION)
    world["project"].status = "delivered"
    db.session.commit()
    auth.login_as(world["member"])
    assert client.post(reflection_url(world), data={**REFLECTION, "did": "Rewritten after the fact."}
                       ).status_code == 403
    assert [row.did for row in reflections()] == [REFLECTION["did"]]


def evidence_queries_submission(w):
    from learning.evidence_queries import with_milestone
    milestone = db.session.get(Milestone, w["milestone"].id)
    milestone.project = w["project"]
    return with_milestone(db.session.get(Submission, w["submission"].id), milestone)


@pytest.mark.parametrize("viewer, allowed", [("member", True), ("other", True), ("mentor", True), ("lead", True),
                                             ("outsider", False), ("admin", False), ("visitor", False)])
def test_a_private_reflection_is_seen_by_the_team_leads_and_mentors_a_public_one_by_everyone(
        client, auth, world, viewer, allowed):
    reflection = evidence.reflect(evidence_queries_submission(world), world["member"], **REFLECTION)
    url = f"/projects/{world['project'].id}/reflections/{reflection.id}"
    milestone_page = f"/projects/{world['project'].id}/milestones/{world['milestone'].id}"
    user = make_admin("admin") if viewer == "admin" else world.get(viewer)
    if user:
        auth.login_as(user)
    response = client.get(url)
    assert response.status_code == (200 if allowed else (302 if viewer == "visitor" else 403))
    assert (REFLECTION["learned"] in client.get(milestone_page).get_data(as_text=True)) is False
    assert (url in client.get(milestone_page).get_data(as_text=True)) is allowed
    db.session.get(Reflection, reflection.id).public = True
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 200 and REFLECTION["learned"] in response.get_data(as_text=True)
    assert url in client.get(milestone_page).get_data(as_text=True)


def test_the_author_makes_a_reflection_public_and_private_again_even_after_delivery(client, auth, world):
    reflection = evidence.reflect(evidence_queries_submission(world), world["member"], **REFLECTION)
    world["project"].status = "delivered"
    db.session.commit()
    url = f"/projects/{world['project'].id}/reflections/{reflection.id}/visibility"
    auth.login_as(world["other"])
    assert client.post(url, data={"public": "1"}).status_code == 403
    assert [row.public for row in reflections()] == [False]
    auth.login_as(world["member"])
    assert client.post(url, data={"public": "maybe"}).status_code == 400
    assert [row.public for row in reflections()] == [False]
    assert client.post(url, data={"public": "1"}).status_code == 302
    assert [row.public for row in reflections()] == [True]
    assert client.post(url, data={"public": "0"}).status_code == 302
    assert [row.public for row in reflections()] == [False]


def test_the_export_holds_the_members_time_and_reflections(app, world):
    from core.personal_data import PARTS
    log(world, world["member"], hours="1.5", note="Interviews")
    evidence.reflect(evidence_queries_submission(world), world["member"], **REFLECTION)
    log(world, world["other"], hours="2", note="Not the member's")
    files = PARTS["learning"].collect(world["member"])
    assert [(row["note"], row["minutes"], row["hours"]) for row in files["time_entries.json"]] == [
        ("Interviews", 90, 1.5)]
    assert [(row["what_i_learned"], row["public"]) for row in files["reflections.json"]] == [
        (REFLECTION["learned"], False)]
    assert {name: rows for name, rows in PARTS["learning"].collect(world["outsider"]).items()
            if name in ("time_entries.json", "reflections.json")} == {"time_entries.json": [], "reflections.json": []}


def test_deleting_a_member_deletes_their_evidence(app, world):
    log(world, world["member"])
    evidence.reflect(evidence_queries_submission(world), world["member"], **REFLECTION)
    db.session.delete(db.session.get(type(world["member"]), world["member"].id))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(TimeEntry)) == 0
    assert db.session.scalar(select(func.count()).select_from(Reflection)) == 0


def test_the_members_zip_carries_the_learning_part(client, auth, world):
    import json

    from tests.privacy.test_export import export_zip
    log(world, world["member"], hours="1.5", note="Interviews")
    log(world, world["other"], hours="2", note="Other's note")
    evidence.reflect(evidence_queries_submission(world), world["member"], **REFLECTION)
    archive = export_zip(client, auth, world["member"])
    assert [e["note"] for e in json.loads(archive.read("learning/time_entries.json"))] == ["Interviews"]
    assert [r["what_i_did"] for r in json.loads(archive.read("learning/reflections.json"))] == [REFLECTION["did"]]
    assert "time_entries.json" in archive.read("README.txt").decode()


def test_the_milestone_section_speaks_french_with_decimal_commas(client, auth, world):
    log(world, world["member"], hours="2.25", note="Entretiens")
    auth.login_as(world["member"])
    page = client.get(f"/projects/{world['project'].id}/milestones/{world['milestone'].id}",
                      headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Temps passé" in page and "Saisir votre temps" in page and "2,25" in page
    assert "Écrire votre réflexion" in page
    assert f'value="{TODAY.isoformat()}"' in page  # the form offers today

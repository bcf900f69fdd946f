"""The list of mentors (filtered or not, page 1 and 2), an offer's page, a mentorship's page, /me and the mentor's
portfolio run the same number of SQL statements at two data sizes, within the page budget, for every viewer."""
import pytest

from core.extensions import db
from tests.conftest import count_queries, over_budget
from tests.factories import add_member, make_chapter, make_user
from tests.mentoring.helpers import make_mentorship, make_offer, make_session


def build(size: int):
    """`size` more offers in the chapter, each with skills, competencies and mentorships in several states."""
    lead = make_user()
    chapter = make_chapter(lead, name=f"Chapter {size}")
    mentor = add_member(chapter, make_user(skills=("Python", "Pricing")))
    main = make_offer(mentor, capacity=20, competencies=("scoping.pricing", "admin.budget"), commit=False)
    main.skills = list(mentor.skills)
    mentee = make_user(commit=False)
    active = make_mentorship(main, mentee, status="active", commit=False)
    for n in range(size):
        person = add_member(chapter, make_user(skills=(f"Skill {size}-{n}", "Python"), commit=False), commit=False)
        offer = make_offer(person, competencies=("scoping.pricing", "sales.pitching"), commit=False)
        offer.skills = list(person.skills)
        make_mentorship(offer, status="active", commit=False)
        ended = make_mentorship(main, status="ended", commit=False)
        make_session(ended, minutes=30, commit=False)
        make_session(active, minutes=15, commit=False)
        if n < 15:  # within the capacity (20), beside the active one
            make_mentorship(main, status="requested", commit=False)
    db.session.commit()
    return chapter, main, mentor, mentee, active


def statements(client, path):
    with count_queries() as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("viewer", ["visitor", "member", "mentor", "mentee"])
def test_mentoring_pages_run_a_fixed_number_of_queries(app, client, auth, viewer):
    app.config["PAGE_CACHE"] = False
    counts = {}
    for size in (12, 30):  # page 2 holds offers at both sizes
        chapter, main, mentor, mentee, active = build(size)
        member = make_user()
        if viewer != "visitor":
            auth.login_as({"member": member, "mentor": mentor, "mentee": mentee}[viewer])
        pages = {"mentors": "/mentors/", "mentors page 2": "/mentors/?page=2",
                 "mentors filtered": f"/mentors/?competency=scoping.pricing&skill=python&chapter={chapter.slug}"
                                     "&available=y",
                 "offer": f"/mentors/{main.id}", "portfolio": f"/u/{mentor.handle}"}
        if viewer in ("mentor", "mentee"):
            pages["mentorship"] = f"/mentorships/{active.id}"
        if viewer != "visitor":
            pages["dashboard"] = "/me"
        counts[size] = {f"{viewer} {name}": statements(client, path) for name, path in pages.items()}
    print(counts)
    assert counts[12] == counts[30]
    assert over_budget(counts[30]) == {}, counts[30]

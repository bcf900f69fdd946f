"""Outcome reports (page and CSV) of sponsored projects, and organisation logos checked like every upload."""
import csv
import io
import struct
import zlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.audit import utcnow
from core.extensions import db
from projects.models import Milestone, Review, Submission, TeamMember
from sponsors import reports
from sponsors.models import SponsorOrganisation
from tests.conftest import fresh
from tests.factories import (issue_credentials, make_admin, make_chapter, make_delivered_project, make_organisation,
                             make_project, make_sponsorship, make_user)


def png_bytes(extra: int = 0) -> bytes:
    """A real 1×1 PNG (optionally padded after IEND to a given size)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    image = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
             + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    return image + b"\x00" * extra


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def w(app):
    lead = make_user("lead")
    chapter = make_chapter(lead, name="Lyon Freelancers")
    alice, bob = make_user("alice", name="Alice Martin"), make_user("bob", name="=HYPERLINK(\"http://evil\")")
    project = make_project(chapter, title="Water map", status="active", team=(alice, bob), milestones=2)
    sponsor_admin, reviewer = make_user("sadmin"), make_user("sreviewer", name="Rita Reviewer")
    org = make_organisation(sponsor_admin, reviewers=(reviewer,), name="Acme Foundation")
    make_sponsorship(project, org, status="confirmed")
    first, final = db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)
                                      .order_by(Milestone.position)).all()
    db.session.execute(TeamMember.__table__.update().where(TeamMember.user_id == bob.id).values(role="task_lead"))
    submission = Submission(milestone_id=first.id, author_id=alice.id, note="Survey", link="https://example.org/s",
                            file_name="-survey.csv")
    db.session.add(submission)
    db.session.flush()
    first.status, first.accepted_at, first.accepted_by_id = "accepted", utcnow() - timedelta(days=1), reviewer.id
    db.session.add(Review(milestone_id=first.id, submission_id=submission.id, reviewer_id=reviewer.id,
                          sponsor_organisation_id=org.id, decision="accepted"))
    db.session.commit()
    other = make_project(chapter, title="Second project", status="delivered", milestones=0)
    make_sponsorship(other, org, status="confirmed")
    make_sponsorship(make_project(chapter, title="Only offered"), org, status="offered")
    return {"lead": lead, "project": project, "org": org, "admin": sponsor_admin, "reviewer": reviewer,
            "first": first, "final": final, "other": other}


def read_csv(response):
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_project_report_csv_has_team_milestones_deliverables_and_credentials(client, auth, w):
    auth.login_as(w["reviewer"])
    response = client.get(f"/sponsors/{w['org'].slug}/projects/{w['project'].id}/report.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    header, first, final = read_csv(response)
    assert header[:6] == ["Project", "Chapter", "Project status", "Delivered on", "Team size", "Team and roles"]
    row = dict(zip(header, first))
    assert row["Project"] == "Water map" and row["Chapter"] == "Lyon Freelancers" and row["Team size"] == "2"
    assert "Alice Martin (Contributor)" in row["Team and roles"]
    # A cell that a spreadsheet would run as a formula is written as text.
    assert row["Team and roles"].startswith("'=HYPERLINK") and "Alice Martin (Contributor)" in row["Team and roles"]
    assert row["Milestone"] == "1. Milestone 1" and row["Milestone status"] == "accepted"
    assert row["Due date"] == w["first"].due_date.isoformat()
    assert row["Accepted on"] == w["first"].accepted_at.date().isoformat()
    assert row["Accepted by"] == "Rita Reviewer" and row["Accepted for sponsor"] == "Acme Foundation"
    assert row["Deliverable link"] == "https://example.org/s" and row["Deliverable file"] == "'-survey.csv"
    assert row["Credentials issued"] == "0"
    final_row = dict(zip(header, final))
    assert final_row["Milestone status"] == "planned" and final_row["Accepted on"] == ""


def test_formula_cells_are_neutralised():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1"):
        assert reports.safe_cell(text) == "'" + text
    assert reports.safe_cell("Plain") == "Plain" and reports.safe_cell(3) == 3 and reports.safe_cell(None) == ""


def test_the_organisation_csv_has_every_sponsored_project(client, auth, w):
    auth.login_as(w["admin"])
    response = client.get(f"/sponsors/{w['org'].slug}/report.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    projects = [row[0] for row in rows[1:]]
    assert projects.count("Water map") == 2 and projects.count("Second project") == 1
    assert "Only offered" not in projects
    delivered = next(row for row in rows if row[0] == "Second project")
    assert delivered[2] == "delivered" and delivered[3] != "" and delivered[6] == ""


def test_the_report_page_for_members_admins_and_the_chapters_leads(client, auth, w):
    url = f"/sponsors/{w['org'].slug}/projects/{w['project'].id}/report"
    for user in (w["reviewer"], w["admin"], w["lead"], make_admin()):
        auth.login_as(user)
        body = client.get(url).get_data(as_text=True)
        assert "Outcome report: Water map" in body and "Alice Martin" in body and "Rita Reviewer" in body
        assert "Acme Foundation" in body and "https://example.org/s" in body
    auth.login_as(make_user())
    assert client.get(url).status_code == 403
    assert client.get(url + ".csv").status_code == 403
    assert client.get(f"/sponsors/{w['org'].slug}/report.csv").status_code == 403
    auth.login_as(w["lead"])  # a lead sees one project's report, not the organisation's export
    assert client.get(f"/sponsors/{w['org'].slug}/report.csv").status_code == 403
    auth.logout()
    assert client.get(url).headers["Location"].startswith("/auth/login")


def test_a_report_of_a_project_the_organisation_does_not_sponsor_is_not_found(client, auth, w):
    auth.login_as(w["admin"])
    other_project = make_project(make_chapter(), status="active")
    assert client.get(f"/sponsors/{w['org'].slug}/projects/{other_project.id}/report").status_code == 404
    assert client.get(f"/sponsors/{w['org'].slug}/projects/{other_project.id}/report.csv").status_code == 404


def test_the_public_organisation_page_lists_outcomes(client, w):
    body = client.get(f"/sponsors/{w['org'].slug}").get_data(as_text=True)
    assert "Water map" in body and "Second project" in body and "Delivered on" in body
    assert "Outcome report" not in body and "Download all outcomes" not in body


def test_reports_count_the_valid_credentials_each_delivery_issued(client, auth, app):
    lead = make_user()
    chapter = make_chapter(lead)
    team = (make_user(), make_user(), make_user())
    delivered = make_delivered_project(chapter, team=team)
    other = make_delivered_project(chapter, team=team[:1])
    first, *_ = issue_credentials(delivered)
    issue_credentials(other)
    first.revoked_at, first.revocation_reason = utcnow(), "Left before the end"
    db.session.commit()
    assert reports.credentials_issued([delivered.id, other.id, 999]) == {delivered.id: 2, other.id: 1}


# Logos -------------------------------------------------------------------------------------------------------------

def edit(client, org, upload=None, **extra):
    data = {"name": org.name, "contact_email": org.contact_email,
            "description": "An organisation made by the test factories.", **extra}
    if upload is not None:
        data["logo"] = upload
    return client.post(f"/sponsors/{org.slug}/edit", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize("name, content, message", [
    ("logo.svg", SVG, "Upload a PNG, JPEG or WebP image."),
    ("logo.gif", b"GIF89a" + b"\x00" * 20, "Upload a PNG, JPEG or WebP image."),
    ("logo.png", SVG, "does not match"),
    ("logo.jpg", png_bytes(), "does not match"),
    ("logo.png", png_bytes(extra=1024 * 1024), "larger than 1 MB"),
    ("logo.png", b"", "The file is empty."),
    ("logo.png", "bomb", "larger than 4096 × 4096 pixels"),
    ("logo.png", "large", "larger than 4096 × 4096 pixels"),
])
def test_a_bad_logo_is_refused_next_to_the_field(client, auth, w, name, content, message):
    from PIL import Image

    if content in ("bomb", "large"):  # a few KB that declare 400 million (or 50,000) pixels
        buffer = io.BytesIO()
        Image.new("1", (20_000, 20_000) if content == "bomb" else (5000, 10)).save(buffer, format="PNG")
        content = buffer.getvalue()
    auth.login_as(w["admin"])
    response = edit(client, w["org"], (io.BytesIO(content), name))
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="logo-error"' in body and message in body
    assert fresh(w["org"]).logo_key is None


def test_a_logo_is_stored_outside_static_and_served_as_an_image_that_is_never_sniffed(client, auth, w, app):
    auth.login_as(w["admin"])
    assert edit(client, w["org"], (io.BytesIO(png_bytes()), "Logo.PNG")).status_code == 302
    org = fresh(w["org"])
    assert org.logo_type == "png" and len(org.logo_key) == 32 and "static" not in app.config["UPLOAD_FOLDER"]
    auth.logout()
    response = client.get(f"/sponsors/{org.slug}/logo")
    assert response.status_code == 200 and response.data == png_bytes()
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    # Shown with the organisation's name as its alternative text on the project, chapter and organisation pages.
    for path in (f"/projects/{w['project'].id}", f"/chapters/{w['project'].chapter.slug}", f"/sponsors/{org.slug}"):
        body = client.get(path).get_data(as_text=True)
        assert f'alt="{org.name}"' in body and f"/sponsors/{org.slug}/logo" in body


def test_a_logo_is_replaced_and_removed(client, auth, w):
    from core import uploads

    auth.login_as(w["admin"])
    edit(client, w["org"], (io.BytesIO(png_bytes()), "a.png"))
    first_key = fresh(w["org"]).logo_key
    edit(client, w["org"], (io.BytesIO(png_bytes(extra=10)), "b.png"))
    second_key = fresh(w["org"]).logo_key
    assert second_key != first_key and not uploads.path_for(first_key).exists()
    edit(client, w["org"], remove_logo="y")
    assert fresh(w["org"]).logo_key is None and not uploads.path_for(second_key).exists()
    assert client.get(f"/sponsors/{w['org'].slug}/logo").status_code == 404
    body = client.get(f"/projects/{w['project'].id}").get_data(as_text=True)
    assert ">Acme Foundation</a>" in body  # the name, when there is no logo


def test_a_logo_is_given_at_registration_and_hidden_while_the_organisation_is_pending(client, auth, app):
    auth.login_as(make_user())
    response = client.post("/sponsors/new", content_type="multipart/form-data", data={
        "name": "Green Bank", "contact_email": "hello@green.example",
        "description": "A bank that funds green civic projects.", "logo": (io.BytesIO(png_bytes()), "g.png")})
    assert response.status_code == 302
    assert client.get("/sponsors/green-bank/logo").status_code == 200
    auth.login_as(make_user())
    assert client.get("/sponsors/green-bank/logo").status_code == 404


def test_registration_with_a_bad_logo_stores_nothing(client, auth, app):
    auth.login_as(make_user())
    response = client.post("/sponsors/new", content_type="multipart/form-data", data={
        "name": "Green Bank", "contact_email": "hello@green.example",
        "description": "A bank that funds green civic projects.", "logo": (io.BytesIO(SVG), "g.svg")})
    assert response.status_code == 400 and "Upload a PNG, JPEG or WebP image." in response.get_data(as_text=True)
    assert db.session.scalar(select(SponsorOrganisation)) is None


def test_an_archived_organisations_logo_gives_way_to_its_name(client, auth, w):
    auth.login_as(w["admin"])
    edit(client, w["org"], (io.BytesIO(png_bytes()), "a.png"))
    w["org"].status = "archived"
    db.session.commit()
    auth.logout()
    assert client.get(f"/sponsors/{w['org'].slug}/logo").status_code == 404
    body = client.get(f"/projects/{w['project'].id}").get_data(as_text=True)
    assert f"/sponsors/{w['org'].slug}/logo" not in body and ">Acme Foundation</a>" in body

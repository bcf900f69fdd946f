"""Open data: the files hold exactly the public projects and chapters (as /projects/ and /chapters/ list them),
are written atomically, listed on /open-data/ with their licence and fields, and served with the right types and
caching; the daily job is registered and `flask open-data` writes them now."""
import csv
import io
import json
import os

import pytest
from sqlalchemy import select

from chapters.models import Chapter
from core.extensions import db
from core.schedule import PERIODIC
from opendata import exports
from tests.factories import make_chapter, make_project, make_user

NAMES = ["chapters.csv", "chapters.jsonl", "projects.csv", "projects.jsonl"]


@pytest.fixture
def folder(app, tmp_path):
    app.config["OPEN_DATA_FOLDER"] = str(tmp_path / "open-data")
    return tmp_path / "open-data"


@pytest.fixture
def data(app):
    lead = make_user("lead")
    lyon = make_chapter(lead, name="Lyon Freelancers")
    pending = make_chapter(make_user("proposer"), name="Pending Guild", status="pending")
    archived = make_chapter(make_user("old"), name="Old Guild", status="archived")
    public = [make_project(lyon, status=status, title=f"Public {status}", skills=("Python", "Mapping"), sdgs=(4, 6))
              for status in ("recruiting", "active", "delivered", "cancelled")]
    make_project(lyon, status="draft", title="A draft")
    make_project(pending, status="recruiting", title="In a pending chapter")
    return {"projects": public, "chapters": [lyon], "hidden_chapters": [pending, archived]}


def read(folder, name):
    text = (folder / name).read_text(encoding="utf-8")
    if name.endswith(".jsonl"):
        return [json.loads(line) for line in text.splitlines()]
    return list(csv.DictReader(io.StringIO(text)))


def test_the_files_hold_exactly_the_public_projects_and_chapters(app, runner, folder, data):
    result = runner.invoke(args=["open-data"])
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(folder)) == NAMES  # no temporary file left behind
    expected = sorted(p.id for p in data["projects"])
    for name in ("projects.jsonl", "projects.csv"):
        rows = read(folder, name)
        assert sorted(int(row["id"]) for row in rows) == expected
        assert not any("draft" in row["title"] or "pending" in row["title"] for row in rows)
    first = next(row for row in read(folder, "projects.jsonl") if row["title"] == "Public recruiting")
    assert first["skills"] == ["Mapping", "Python"] and first["sdgs"] == [4, 6] and first["chapter"] == data["chapters"][0].slug
    assert first["url"] == f"{app.config['BASE_URL']}/projects/{first['id']}"
    row = next(row for row in read(folder, "projects.csv") if row["title"] == "Public recruiting")
    assert row["skills"] == "Mapping; Python" and row["team_max"] == "4" and row["status"] == "recruiting"
    assert [row["slug"] for row in read(folder, "chapters.jsonl")] == [data["chapters"][0].slug]
    assert [row["name"] for row in read(folder, "chapters.csv")] == ["Lyon Freelancers"]
    assert read(folder, "chapters.jsonl")[0]["member_count"] == 1


def test_a_failed_write_leaves_the_previous_file_whole(app, folder, data, monkeypatch):
    exports.write_all()
    before = (folder / "projects.jsonl").read_bytes()
    project = data["projects"][0]
    project.title = "Renamed"
    db.session.commit()

    def broken(row):
        if row.title == "Renamed":
            raise RuntimeError("disk full")
        return row.title

    fields = tuple(exports.Field(f.name, f.description, broken if f.name == "title" else f.value)
                   for f in exports.PROJECT_FIELDS)
    monkeypatch.setattr(exports, "KINDS", (exports.Kind("projects", "", fields, exports._projects),))
    with pytest.raises(RuntimeError):
        exports.write_all()
    assert (folder / "projects.jsonl").read_bytes() == before
    assert sorted(os.listdir(folder)) == NAMES


def test_the_daily_job_is_registered_and_writes_the_files(app, folder, data):
    from core import jobs

    assert PERIODIC["opendata.tasks.write_open_data"].cron == "30 3 * * *"
    jobs.run_periodic("opendata.tasks.write_open_data")
    assert sorted(os.listdir(folder)) == NAMES


def test_the_page_lists_the_files_with_licence_and_fields_in_both_languages(app, client, folder, data, queries):
    empty = client.get("/open-data/")
    assert empty.status_code == 200 and "have not been written yet" in empty.get_data(as_text=True)
    exports.write_all()
    with queries() as statements:
        page = client.get("/open-data/").get_data(as_text=True)
    assert len(statements) <= 1
    for name in NAMES:
        assert f'href="/open-data/{name}"' in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>' in page
    assert "team_max" in page and "member_count" in page
    size = (folder / "projects.csv").stat().st_size
    assert f"{size / 1024:.1f} KB".replace(".0 KB", " KB") in page or f"{size} bytes" in page
    app.config["OPEN_DATA_LICENCE"] = "ODbL 1.0"
    french = client.get("/open-data/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Données ouvertes" in french and "ODbL 1.0" in french and "Plus grande équipe." in french


def test_the_files_are_served_with_their_type_and_caching_headers(app, client, auth, folder, data):
    exports.write_all()
    response = client.get("/open-data/projects.jsonl")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/jsonl; charset=utf-8"
    assert "public" in response.headers["Cache-Control"] and "max-age=3600" in response.headers["Cache-Control"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.data == (folder / "projects.jsonl").read_bytes()
    again = client.get("/open-data/projects.jsonl", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    csv_file = client.get("/open-data/chapters.csv")
    assert csv_file.headers["Content-Type"].startswith("text/csv; charset=utf-8")
    auth.login_as(make_user("member"))  # a signed-in reader gets the same public, cacheable file
    assert "public" in client.get("/open-data/chapters.csv").headers["Cache-Control"]
    for name in ("secret_key", "..%2Fsecret_key", "projects.json", "chapters.csv.tmp"):
        assert client.get(f"/open-data/{name}").status_code == 404


def test_a_file_not_written_yet_is_not_found(client, folder):
    assert client.get("/open-data/projects.csv").status_code == 404

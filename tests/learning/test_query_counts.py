"""The learning pages, the competency filter and the project page's business skills run the same number of
SQL statements whatever the amount of data."""
import pytest

from core.extensions import db
from learning import framework, services
from tests.conftest import count_queries
from tests.factories import make_application, make_chapter, make_delivered_project, make_project, make_user

CODES = sorted(framework.codes())


def build(size: int, lead, chapter, member):
    """`size` projects practising three competencies each (some recruiting, some active), roles on some."""
    projects = []
    for n in range(size):
        codes = tuple(sorted({CODES[(n + k) % len(CODES)] for k in (0, 5, 11)} | {"admin.budget"}))
        project = make_project(chapter, title=f"Project {size}-{n}", status="recruiting" if n % 3 else "active",
                               competencies=codes, commit=False)
        projects.append(project)
        if n % 2:
            make_application(project, make_user(commit=False), commit=False)
    db.session.commit()
    for project in projects[1:: max(1, size // 10)]:
        if project.status == "recruiting":
            for kind, code in (("budget_keeper", "admin.budget"), ("other", project.competency_codes[0])):
                services.add_role(project, lead, kind=kind, name="Helper" if kind == "other" else None,
                                  competencies=[code])
    make_delivered_project(chapter, team=(member,), competencies=("admin.budget",))
    return projects


def statements(client, path):
    with count_queries() as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("viewer", ["visitor", "lead", "member"])
def test_pages_run_a_fixed_number_of_queries(app, client, auth, viewer):
    lead, member = make_user("lead"), make_user("member")
    chapter = make_chapter(lead, name="Main chapter")
    if viewer != "visitor":
        auth.login_as(lead if viewer == "lead" else member)
    counts = {}
    for size in (45, 150):
        projects = build(size, lead, chapter, member)
        with_roles = projects[1]  # recruiting, with roles
        pages = {"framework": "/learning/", "competency": "/learning/admin.budget",
                 "competency_page_2": "/learning/admin.budget?page=2",
                 "filter": "/projects/?competency=admin.budget",
                 "filter_and_status": "/projects/?competency=admin.budget&status=recruiting&page=2",
                 "project": f"/projects/{with_roles.id}",
                 "plain_project": f"/projects/{make_project(chapter, title=f'Plain {size}').id}"}
        if viewer == "lead":
            pages["roles"] = f"/projects/{with_roles.id}/roles"
        if viewer == "member":
            pages["dashboard"] = "/me"
        counts[size] = {name: statements(client, path) for name, path in pages.items()}
    assert counts[45] == counts[150], (counts[45], counts[150])
    # Competencies and roles come with the project's own query: the page costs what a project without any costs
    # (11 for a lead: one statement for the hours per member that leads and mentors see).
    assert counts[150]["project"] == counts[150]["plain_project"] <= 11, counts[150]
    assert counts[150]["framework"] <= 4 and counts[150]["competency"] <= 8 and counts[150]["filter"] <= 8, counts[150]

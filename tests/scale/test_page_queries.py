"""Guards for the benchmarked pages (scripts/benchmark.py PAGES): on the scale data set at two sizes, each
page runs the same number of SQL statements, at most 10, for a visitor and for a signed-in member, and a
visitor's page served again from the page cache runs one."""
import importlib.util
import sys
from pathlib import Path

from sqlalchemy import text

from core.extensions import db
from tests.conftest import count_queries, over_budget

spec = importlib.util.spec_from_file_location("benchmark", Path(__file__).parents[2] / "scripts" / "benchmark.py")
benchmark = sys.modules["benchmark"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(benchmark)

SIZES = {"small": ["--scale", "0.0005", "--projects", "100"], "larger": ["--scale", "0.002", "--projects", "300"]}


def seed(runner, args):
    result = runner.invoke(args=["seed-scale", "--quiet", "--force", *args])
    assert result.exit_code == 0, result.output
    found = {name: str(db.session.scalar(text(sql))) for name, sql in benchmark.SAMPLES.items()}
    found.update({name: db.session.scalar(text(sql)) for name, sql in benchmark.SIGN_INS.items()})
    db.session.commit()
    return found


def statement_counts(app, found) -> dict[str, int]:
    counts = {}
    for viewer in (None, *benchmark.SIGN_INS):
        # As in production for the visitor (a form built for them would create a CSRF token and keep their
        # page out of the cache); the members sign in without one.
        app.config["WTF_CSRF_ENABLED"] = viewer is None
        client = app.test_client()
        if viewer:
            response = client.post("/auth/login", data={"email": found[viewer], "password": benchmark.PASSWORD})
            assert response.status_code == 302
        for page in benchmark.PAGES:
            if page.signed_in not in (None, viewer):
                continue
            path = page.path.format(**found)
            with count_queries() as queries:
                assert client.get(path).status_code == 200, path
            counts[f"{viewer or 'visitor'}: {page.name}"] = len(queries)
            if viewer is None:  # the page cache serves it again
                with count_queries() as queries:
                    assert client.get(path).status_code == 200, path
                assert len(queries) == 1, (page.name, queries)
    return counts


def test_benchmarked_pages_run_a_bounded_number_of_statements(app, runner):
    counts = {size: statement_counts(app, seed(runner, args)) for size, args in SIZES.items()}
    print(counts["larger"])
    assert counts["small"] == counts["larger"]
    assert over_budget(counts["larger"]) == {}, counts["larger"]
    # At these sizes page 50 is past the end; a later page that has projects costs what the first one costs.
    with count_queries() as queries:
        body = app.test_client().get("/projects/?page=5").get_data(as_text=True)
    assert '<span class="page-link">5</span>' in body  # page 5 exists: it holds projects
    assert len(queries) == counts["larger"]["visitor: projects"]


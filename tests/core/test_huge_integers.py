"""Numbers past what the database stores (2**31 and more, PostgreSQL's INTEGER) in any URL, page or form field get
a 4xx, never a 500."""
import pytest
from werkzeug.routing import IntegerConverter

from core.integers import MAX_ID, MAX_PAGE, BoundedIntegerField, page_number
from tests.factories import make_admin, make_chapter, make_project, make_user

HUGE = ["9223372036854775808", "99999999999999999999999", str(MAX_ID + 1)]


def filled(rule, number: str) -> str:
    """The rule's URL with `number` for every int argument and a harmless word for the others."""
    path = rule.rule
    for argument, converter in rule._converters.items():
        value = number if isinstance(converter, IntegerConverter) else "x"
        if type(converter).__name__ == "UUIDConverter":
            value = "00000000-0000-0000-0000-000000000000"
        for form in (f"<int:{argument}>", f"<{argument}>", f"<uuid:{argument}>", f"<path:{argument}>"):
            path = path.replace(form, value)
    return path


def int_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if any(isinstance(c, IntegerConverter) for c in rule._converters.values())]


@pytest.mark.parametrize("role", ["visitor", "admin"])
def test_a_huge_id_in_any_url_is_not_found(app, client, auth, role):
    if role == "admin":
        auth.login_as(make_admin("root"))
    rules = int_rules(app)
    assert len(rules) > 20
    for rule in rules:
        for number in HUGE:
            url = filled(rule, number)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method)
                assert response.status_code < 500, (method, url, response.status_code)
                if role == "admin" and method == "GET":
                    assert response.status_code == 404, (url, response.status_code)


def test_a_huge_page_on_every_list_is_answered(app, client, auth):
    auth.login_as(make_admin("root"))
    lists = [rule.rule for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/static")]
    for path in lists:
        for page in HUGE + ["-5", "0", "abc"]:
            response = client.get(path, query_string={"page": page, "sponsored_page": page})
            assert response.status_code < 500, (path, page, response.status_code)


def test_page_numbers_are_clamped(app):
    for asked, given in [("3", 3), ("0", 1), ("-2", 1), ("x", 1), (HUGE[1], MAX_PAGE)]:
        with app.test_request_context(f"/?page={asked}"):
            assert page_number() == given


def test_huge_numbers_in_forms_are_refused_next_to_the_field(app, client, auth):
    lead = make_user("lead")
    chapter = make_chapter(lead)
    project = make_project(chapter, status="draft")
    auth.login_as(lead)
    response = client.post(f"/projects/{project.id}/edit", data={
        "title": "T", "summary": "S", "problem": "P", "skills": "Python", "team_min": HUGE[1], "team_max": "3"})
    assert response.status_code == 400
    assert client.post("/notifications/read", data={"id": HUGE[1]}).status_code < 500


def test_the_bounded_field_says_why(app):
    from flask_wtf import FlaskForm

    class Form(FlaskForm):
        count = BoundedIntegerField("Count", minimum=1, maximum=10)

    with app.test_request_context(method="POST", data={"count": HUGE[0]}):
        form = Form(meta={"csrf": False})
        assert not form.validate()
        assert "between 1 and 10" in form.count.errors[0]


def test_head_of_the_profile_form_of_a_member_with_skills(client, auth):
    auth.login_as(make_user("skilled", skills=("Python", "Mapping")))
    assert client.head("/me/edit").status_code == 200
    assert 'value="Python, Mapping"' in client.get("/me/edit").get_data(as_text=True) or \
        'value="Mapping, Python"' in client.get("/me/edit").get_data(as_text=True)

"""Places in the revocation status list: random and free for new credentials (the list does not tell the order
of issuance), a new list when one is full, one credential per place, and the bit flipped at the right place."""
import json

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from credentials import issuing, queries, status_list
from credentials.issuing import revoke_credential
from credentials.models import Credential
from tests.credentials.conftest import document, issue
from tests.factories import make_delivered_project, make_user


def delivered_with_team(chapter, size: int):
    team = tuple(make_user(f"member{n}") for n in range(size))
    return make_delivered_project(chapter, team=team, roles=("contributor",) * size, team_max=size)


def places_in_issuance_order(project_id: int) -> list[tuple[int, int]]:
    return [status_list.place(c) for c in db.session.scalars(
        select(Credential).where(Credential.project_id == project_id).order_by(Credential.id))]


def test_fifty_credentials_issued_in_a_row_get_random_places_not_in_issuance_order(app, chapter):
    project = delivered_with_team(chapter, 50)
    issued = issue(project.id)
    places = places_in_issuance_order(project.id)
    indexes = [index for _, index in places]
    assert len(issued) == 50 and {number for number, _ in places} == {1} and len(set(indexes)) == 50
    # Issuance order leaks neither as sorted indexes nor as neighbours (each is ~1/50! and ~50/131072 likely).
    assert indexes != sorted(indexes) and indexes != sorted(indexes, reverse=True)
    assert sum(abs(b - a) == 1 for a, b in zip(indexes, indexes[1:])) <= 2
    assert max(indexes) - min(indexes) > 10_000  # spread over the list, not packed at its start
    for credential in issued:  # the document says the place the row holds
        status = document(credential)["credentialStatus"]
        assert (credential.status_list_number, int(status["statusListIndex"])) == status_list.place(credential)
        assert status["statusListCredential"].endswith(f"/credentials/status/{credential.status_list_number}")


def test_a_full_list_rolls_over_to_a_new_one_whose_document_still_has_the_minimum_size(app, client, chapter):
    app.config["CREDENTIAL_STATUS_LIST_SIZE"] = 4  # tests only: production never goes below 131,072
    project = delivered_with_team(chapter, 6)
    issue(project.id)
    places = places_in_issuance_order(project.id)
    assert sorted(index for number, index in places if number == 1) == [0, 1, 2, 3]
    assert [number for number, _ in places].count(2) == 2
    listed = json.loads(client.get("/credentials/status/2").data)
    assert len(status_list.decode(listed["credentialSubject"]["encodedList"])) * 8 >= 131_072
    assert client.get("/credentials/status/3").status_code == 404


def test_production_never_uses_lists_smaller_than_the_minimum(app):
    app.config["CREDENTIAL_STATUS_LIST_SIZE"] = 4
    app.testing = False
    try:
        assert status_list.list_size() == 131_072
    finally:
        app.testing = True


def test_revocation_flips_exactly_the_bit_at_the_credentials_place(app, client, chapter, lead):
    project = delivered_with_team(chapter, 5)
    issued = issue(project.id)
    target = queries.by_uuid(issued[3].uuid)
    revoke_credential(target, lead, "Left before the end.")
    listed = json.loads(client.get(f"/credentials/status/{target.status_list_number}").data)
    bits = status_list.decode(listed["credentialSubject"]["encodedList"])
    set_bits = [i for i in range(len(bits) * 8) if status_list.is_set(bits, i)]
    assert set_bits == [target.status_list_index]


def test_two_credentials_can_never_share_a_place(app, chapter):
    first, second = issue(delivered_with_team(chapter, 2).id)
    with pytest.raises(IntegrityError):
        db.session.execute(update(Credential).where(Credential.id == second.id)
                           .values(status_list_index=first.status_list_index,
                                   status_list_number=first.status_list_number))
        db.session.flush()
    db.session.rollback()


def test_an_issuer_whose_place_was_taken_meanwhile_draws_again(app, chapter, monkeypatch):
    """Another issuer took the drawn place between the draw and the insert: the unique constraint
    refuses it and the credential goes to the next draw."""
    [taken] = issue(delivered_with_team(chapter, 1).id)
    draws = iter([status_list.place(taken), (1, 7), (1, 8)])
    monkeypatch.setattr(status_list, "free_place", lambda: next(draws))
    project = make_delivered_project(chapter, team=(make_user("late"),), roles=("contributor",))
    [credential] = issue(project.id)
    assert status_list.place(credential) == (1, 7)
    assert int(document(credential)["credentialStatus"]["statusListIndex"]) == 7


def test_a_nearly_full_list_is_drawn_from_its_free_places(app, chapter, monkeypatch):
    app.config["CREDENTIAL_STATUS_LIST_SIZE"] = 3
    issue(delivered_with_team(chapter, 2).id)
    free = ({0, 1, 2} - {index for _, index in db.session.execute(
        select(Credential.status_list_number, Credential.status_list_index))}).pop()
    taken = next(index for index in range(3) if index != free)
    monkeypatch.setattr(status_list.secrets, "randbelow", lambda size: taken)  # unlucky draws only
    assert status_list.free_place() == (1, free)


def test_an_issuer_that_cannot_find_a_place_fails_instead_of_looping(app, chapter, monkeypatch):
    [taken] = issue(delivered_with_team(chapter, 1).id)
    monkeypatch.setattr(status_list, "free_place", lambda: status_list.place(taken))
    project = make_delivered_project(chapter, team=(make_user("late"),), roles=("contributor",))
    with pytest.raises(RuntimeError, match="No free status-list place"):
        issuing.issue_for_project(project.id)
    db.session.rollback()

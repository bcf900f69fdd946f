"""The public credential page, its badge image and its share links, for every kind of visitor."""
import base64
import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import update

from accounts.models import User
from core.extensions import db
from credentials.models import Credential
from tests.conftest import fresh
from tests.credentials.conftest import BASE_URL, page_of


def test_a_visitor_sees_who_earned_what_and_that_it_verifies(client, w):
    response = client.get(page_of(w["credential"]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert 'href="/u/ada"' in html and "Ada Lovelace" in html and "@ada" in html
    assert f'href="/projects/{w["project"].id}"' in html and "Water point map" in html
    assert f'href="/chapters/{w["chapter"].slug}"' in html and "Lyon Freelancers" in html
    assert "Contributor" in html and "Mapping" in html and "Python" in html
    assert "This credential is authentic and valid." in html
    assert html.count("Passed") == 4 and "Failed" not in html
    assert f'{page_of(w["credential"])}.json' in html and f'{page_of(w["credential"])}.jwt' in html
    assert f'{page_of(w["credential"])}/bundle.zip' in html
    assert "Revoke" not in html  # visitors are not offered the revocation form


def test_open_graph_tags_and_the_json_alternate_use_absolute_urls(client, w):
    html = client.get(page_of(w["credential"])).get_data(as_text=True)
    meta = dict(re.findall(r'<meta property="(og:[a-z:]+)" content="([^"]*)"', html))
    assert meta["og:url"] == f"{BASE_URL}{page_of(w['credential'])}" == json.loads(w["credential"].document)["id"]
    assert meta["og:image"] == f"{BASE_URL}{page_of(w['credential'])}/card.png"
    assert "Water point map" in meta["og:description"] and meta["og:title"]
    assert (f'<link rel="alternate" type="application/ld+json" href="{page_of(w["credential"])}.json">') in html


def test_the_linkedin_link_is_prefilled_and_points_at_linkedin(client, w):
    html = client.get(page_of(w["credential"])).get_data(as_text=True)
    href = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', html).group(1).replace("&amp;", "&")
    query = parse_qs(urlsplit(href).query)
    issued = w["credential"].issued_at
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["certId"] == [w["credential"].uuid]
    assert query["certUrl"] == [f"{BASE_URL}{page_of(w['credential'])}"]
    assert query["issueYear"] == [str(issued.year)] and query["issueMonth"] == [str(issued.month)]
    assert query["name"][0] and query["organizationName"][0]


@pytest.mark.parametrize("path", ["/credentials/not-a-uuid", "/credentials/12345",
                                  "/credentials/6f1c1d38-0000-4000-8000-000000000000",
                                  "/credentials/6f1c1d38-0000-4000-8000-000000000000/badge.svg",
                                  "/credentials/6f1c1d38-0000-4000-8000-000000000000/card.png",
                                  "/credentials/6f1c1d38-0000-4000-8000-000000000000/bundle.zip"])
def test_unknown_and_malformed_ids_get_the_404_page(client, w, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_the_badge_is_an_svg_image_that_cannot_run_scripts(client, w):
    response = client.get(f"{page_of(w['credential'])}/badge.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'none'" in policy
    svg = response.get_data(as_text=True)
    assert svg.lstrip().startswith(("<svg", "<?xml")) and "<title" in svg and "<script" not in svg
    image = json.loads(fresh(w["credential"]).document)["credentialSubject"]["achievement"]["image"]["id"]
    assert image == "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()  # the signed image
    page = client.get(page_of(w["credential"])).get_data(as_text=True)
    assert re.search(r'<img [^>]*src="[^"]*/badge\.svg"[^>]*alt="Badge: Water point map, Lyon Freelancers"', page)


def test_a_hidden_profile_shows_only_what_the_credential_says(client, auth, w):
    w["ada"].profile_hidden = True
    db.session.commit()
    html = client.get(page_of(w["credential"])).get_data(as_text=True)
    assert "Ada Lovelace" not in html and "/u/ada" not in html
    assert "Water point map" in html and "This credential is authentic and valid." in html
    auth.login_as(w["ada"])  # the holder still sees their own name and link
    assert "/u/ada" in client.get(page_of(w["credential"])).get_data(as_text=True)


def test_a_deleted_account_leaves_a_verifiable_credential(client, w):
    db.session.execute(update(Credential).where(Credential.id == w["credential"].id).values(recipient_id=None))
    db.session.execute(db.delete(User).where(User.id == w["ada"].id))
    db.session.commit()
    response = client.get(page_of(w["credential"]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "This credential is authentic and valid." in html
    assert "Ada Lovelace" not in html and "/u/ada" not in html


def test_french_visitors_read_the_page_in_french(client, w):
    html = client.get(page_of(w["french"]), headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "Ce justificatif est authentique et valide." in html and "Ajouter à mon profil LinkedIn" in html
    assert f'lang="{w["french"].locale}"' in html  # the credential's own words keep their language


def test_the_page_shows_a_tampered_credential_as_failing(client, w):
    credential = fresh(w["credential"])
    db.session.execute(update(Credential).where(Credential.id == credential.id)
                       .values(document=credential.document.replace("Water point map", "Moon base")))
    db.session.commit()
    html = client.get(page_of(credential)).get_data(as_text=True)
    assert "This credential does not pass verification." in html and "Failed" in html


def test_the_share_card_is_a_png_social_sites_can_show(client, w):
    """Social sites show no SVG previews: og:image is a 1200×630 PNG drawn from the signed document."""
    from PIL import Image

    response = client.get(f"{page_of(w['credential'])}/card.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(response.get_data()))
    assert image.format == "PNG" and image.size == (1200, 630)


def test_a_withdrawn_signing_key_shows_on_a_page_already_cached(app, client, w):
    """Keys live in a file, not a table: the page cache key includes the key set, so a page stored
    while the key was published is not served once it is withdrawn."""
    import os

    from credentials import keys

    path = keys._keys_file()
    keys.rotate()  # key-2 joins; the credential stays signed by key-1
    assert "This credential is authentic and valid." in client.get(page_of(w["credential"])).get_data(as_text=True)
    entries = json.loads(path.read_text())["keys"]
    path.write_text(json.dumps({"keys": entries[1:]}))  # key-1 withdrawn
    os.utime(path, ns=(os.stat(path).st_mtime_ns + 10**9,) * 2)
    html = client.get(page_of(w["credential"])).get_data(as_text=True)
    assert "This credential does not pass verification." in html

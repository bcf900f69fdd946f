"""Cover pictures and member photos (core/images.py): checked by content, decoded within a pixel limit,
resized to WebP renditions without metadata, served with far-future caching, shown with a srcset."""
import io

import pytest
from PIL import Image

from accounts.models import User
from chapters.models import Chapter
from core import images
from core.extensions import db
from core.personal_data import files_of
from privacy import services as privacy
from projects.models import Project
from tests.conftest import count_queries, fresh
from tests.factories import make_chapter, make_project, make_user

GPS_TAG, ORIENTATION_TAG = 0x8825, 0x0112


def photo(size=(2000, 1000), fmt="JPEG", colour=(200, 80, 40), exif=None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    image.save(buffer, fmt, **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


def exif_with_location_and_orientation(orientation=6) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = orientation
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_TAG).update({1: "N", 2: (45.0, 30.0, 0.0), 3: "W", 4: (73.0, 34.0, 0.0)})
    return exif.tobytes()


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# Renditions -----------------------------------------------------------------------------------------------------

def test_a_cover_is_stored_as_webp_at_every_width_it_is_wide_enough_for():
    files = images.renditions(photo((1000, 500)), images.COVER)
    assert sorted(files) == [480, 960]  # not 1600: never enlarged
    for width, data in files.items():
        image = decoded(data)
        assert image.format == "WEBP" and image.size == (width, width // 2)


def test_a_small_picture_still_gets_the_smallest_rendition():
    files = images.renditions(photo((100, 50)), images.COVER)
    assert list(files) == [480] and decoded(files[480]).size == (480, 240)


def test_an_avatar_is_cropped_to_a_square():
    files = images.renditions(photo((300, 200)), images.AVATAR)
    assert sorted(files) == [64, 128] and decoded(files[128]).size == (128, 128)


def test_a_photo_loses_its_location_and_every_other_metadata_but_keeps_its_orientation():
    original = photo((400, 200), exif=exif_with_location_and_orientation())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_TAG)  # the upload does carry a location
    for data in images.renditions(original, images.COVER).values():
        image = decoded(data)
        assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
        assert "icc_profile" not in image.info
        assert b"PhoneMaker" not in data and b"Exif" not in data
        assert image.height > image.width  # turned upright (orientation 6: rotated a quarter turn)


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded():
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG")  # a few KB declaring 400 million pixels
    with pytest.raises(images.uploads.UploadRejected, match="more than 50 million pixels"):
        images.renditions(buffer.getvalue(), images.COVER)


# The forms ----------------------------------------------------------------------------------------------------

@pytest.fixture
def w(app):
    lead = make_user("lead")
    chapter = make_chapter(lead, name="Lyon Freelancers")
    project = make_project(chapter, title="Water map", status="recruiting")
    return {"lead": lead, "chapter": chapter, "project": project, "member": make_user("member")}


def edit_chapter(client, chapter, upload=None, **extra):
    data = {"name": chapter.name, "city": chapter.city, "country": chapter.country,
            "description": "A chapter made by the test factories, with a long enough description.", **extra}
    if upload is not None:
        data["cover"] = upload
    return client.post(f"/chapters/{chapter.slug}/edit", data=data, content_type="multipart/form-data")


def edit_project(client, project, upload=None, **extra):
    data = {"title": project.title, "summary": "A summary.", "team_min": "1", "team_max": "4",
            "skills": "Python", "sdgs": "4", **extra}
    if upload is not None:
        data["cover"] = upload
    return client.post(f"/projects/{project.id}/edit", data=data, content_type="multipart/form-data")


def stored_files(app) -> list:
    folder = images.folder()
    return sorted(folder.rglob("*.webp")) if folder.exists() else []


def test_a_lead_gives_the_chapter_a_cover_shown_with_a_srcset_and_served_for_a_year(client, auth, w, app):
    auth.login_as(w["lead"])
    response = edit_chapter(client, w["chapter"], (io.BytesIO(photo()), "Team photo.JPG"),
                            cover_alt="The team around a table")
    assert response.status_code == 302
    chapter = fresh(w["chapter"])
    assert len(chapter.cover_key) == 32 and chapter.cover_widths == "480 960 1600"
    assert chapter.cover_alt == "The team around a table"
    body = client.get(f"/chapters/{chapter.slug}").get_data(as_text=True)
    assert f'srcset="/images/{chapter.cover_key}-480.webp 480w, /images/{chapter.cover_key}-960.webp 960w' in body
    assert 'alt="The team around a table"' in body
    assert f"/images/{chapter.cover_key}-480.webp" in client.get("/chapters/").get_data(as_text=True)
    auth.logout()
    served = client.get(f"/images/{chapter.cover_key}-960.webp")
    assert served.status_code == 200 and served.mimetype == "image/webp"
    assert decoded(served.data).size == (960, 480)
    cache = served.headers["Cache-Control"]
    assert "max-age=31536000" in cache and "immutable" in cache and "public" in cache
    assert served.headers["X-Content-Type-Options"] == "nosniff"


def test_a_project_cover_shows_on_its_page_and_its_card(client, auth, w):
    auth.login_as(w["lead"])
    assert edit_project(client, w["project"], (io.BytesIO(photo(fmt="PNG")), "cover.png"),
                        cover_alt="Volunteers mapping wells").status_code == 302
    project = fresh(w["project"])
    assert project.cover_alt == "Volunteers mapping wells"
    for path in (f"/projects/{project.id}", "/projects/"):
        body = client.get(path).get_data(as_text=True)
        assert f"/images/{project.cover_key}-480.webp 480w" in body and 'alt="Volunteers mapping wells"' in body


@pytest.mark.parametrize("name, content, alt, message", [
    ("cover.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "A picture", "Upload a PNG, JPEG or WebP image."),
    ("cover.png", photo(fmt="JPEG"), "A picture", "does not match"),
    ("cover.jpg", photo() + b"\x00" * (8 * 1024 * 1024), "A picture", "larger than 8 MB"),
    ("cover.png", "bomb", "A picture", "more than 50 million pixels"),
    ("cover.jpg", photo(), "", "Say what the picture shows"),
])
def test_a_bad_cover_is_refused_next_to_the_field_and_nothing_is_stored(client, auth, w, app, name, content, alt,
                                                                         message):
    if content == "bomb":
        buffer = io.BytesIO()
        Image.new("1", (20_000, 20_000)).save(buffer, "PNG")
        content = buffer.getvalue()
    auth.login_as(w["lead"])
    response = edit_chapter(client, w["chapter"], (io.BytesIO(content), name), cover_alt=alt,
                            name="A new name for the chapter")
    body = response.get_data(as_text=True)
    field = "cover_alt" if not alt else "cover"
    assert response.status_code == 400 and f'id="{field}-error"' in body and message in body
    chapter = fresh(w["chapter"])
    assert chapter.cover_key is None and chapter.name == "Lyon Freelancers" and stored_files(app) == []


def test_a_cover_is_replaced_then_removed_and_its_files_go_with_it(client, auth, w, app):
    auth.login_as(w["lead"])
    edit_project(client, w["project"], (io.BytesIO(photo()), "a.jpg"), cover_alt="First")
    first = fresh(w["project"]).cover_key
    edit_project(client, w["project"], (io.BytesIO(photo(colour=(0, 0, 0))), "b.jpg"), cover_alt="Second")
    second = fresh(w["project"]).cover_key
    assert second != first and {p.name.split("-")[0] for p in stored_files(app)} == {second}
    assert client.get(f"/images/{first}-480.webp").status_code == 404
    # Keeping the picture still needs its description; removing it does not.
    response = edit_project(client, w["project"], cover_alt="")
    assert response.status_code == 400 and 'id="cover_alt-error"' in response.get_data(as_text=True)
    assert edit_project(client, w["project"], remove_cover="y").status_code == 302
    project = fresh(w["project"])
    assert project.cover_key is project.cover_widths is project.cover_alt is None and stored_files(app) == []


def test_a_failed_commit_leaves_no_new_file_and_keeps_the_old_one(app, w, monkeypatch):
    from projects import services

    project = w["project"]
    services.update_project(project, w["lead"], **fields_of(project), cover=upload_of(photo()), cover_alt="Old")
    old = fresh(project).cover_key

    def failing_commit():
        raise RuntimeError("the database went away")
    monkeypatch.setattr(db.session, "commit", failing_commit)
    with pytest.raises(RuntimeError):
        services.update_project(fresh(project), w["lead"], **fields_of(project), cover=upload_of(photo()),
                                cover_alt="New")
    monkeypatch.undo()
    db.session.rollback()
    assert {p.name.split("-")[0] for p in stored_files(app)} == {old}


def fields_of(project: Project) -> dict:
    return {"title": project.title, "summary": project.summary, "problem": project.problem,
            "learning_outcomes": "", "team_min": 1, "team_max": 4, "start_date": None, "end_date": None,
            "skills": ["Python"], "sdgs": [4], "competencies": []}


def upload_of(data: bytes, name: str = "photo.jpg"):
    from werkzeug.datastructures import FileStorage
    return FileStorage(io.BytesIO(data), filename=name)


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_only_those_who_may_edit_the_chapter_or_project_change_its_cover(client, auth, w, who):
    if who == "member":
        auth.login_as(w["member"])
    for response in (edit_chapter(client, w["chapter"], (io.BytesIO(photo()), "c.jpg"), cover_alt="Mine"),
                     edit_project(client, w["project"], (io.BytesIO(photo()), "c.jpg"), cover_alt="Mine")):
        assert response.status_code in ((302,) if who == "visitor" else (403,))
    assert fresh(w["chapter"]).cover_key is None and fresh(w["project"]).cover_key is None


@pytest.mark.parametrize("path", ["/images/xyz-480.webp", f"/images/{'a' * 32}-481.webp",
                                  f"/images/{'a' * 32}-480.webp", f"/images/{'A' * 32}-480.webp"])
def test_unknown_or_malformed_image_addresses_are_not_found(client, path):
    assert client.get(path).status_code == 404


# Member photos ------------------------------------------------------------------------------------------------

def edit_profile(client, user, upload=None, **extra):
    data = {"name": user.name, "city": "Lyon", "country": "FR", "skills": "", "bio": "", "locale": "en", **extra}
    if upload is not None:
        data["avatar"] = upload
    return client.post("/me/edit", data=data, content_type="multipart/form-data")


def test_without_a_photo_a_member_is_shown_with_their_initials(client, w):
    user = w["lead"]
    user.name = "Ada Lovelace King"
    db.session.commit()
    body = client.get("/u/lead").get_data(as_text=True)
    assert '<svg class="avatar"' in body and ">AL</text>" in body


def test_a_member_uploads_a_photo_cropped_square_shown_on_their_profile_then_removes_it(client, auth, w, app):
    auth.login_as(w["member"])
    assert edit_profile(client, w["member"], (io.BytesIO(photo((600, 300))), "me.jpg")).status_code == 302
    user = fresh(w["member"])
    assert user.avatar_widths == "64 128 256"
    assert decoded(images.path_for(user.avatar_key, 256).read_bytes()).size == (256, 256)
    body = client.get("/u/member").get_data(as_text=True)
    assert f'/images/{user.avatar_key}-64.webp 64w' in body and 'alt=""' in body
    response = edit_profile(client, user, (io.BytesIO(b"GIF89a" + b"\x00" * 20), "me.gif"))
    assert response.status_code == 400 and 'id="avatar-error"' in response.get_data(as_text=True)
    assert edit_profile(client, user, remove_avatar="y").status_code == 302
    assert fresh(user).avatar_key is None and stored_files(app) == []


def test_a_photo_is_in_the_members_export_and_deleted_with_the_account(client, auth, w, app):
    member = w["member"]
    auth.login_as(member)
    edit_profile(client, member, (io.BytesIO(photo()), "me.jpg"))
    member = fresh(member)
    exported = {path: data for _part, path, data in files_of(member)}
    assert decoded(exported["account/photo.webp"]).size == (256, 256)
    privacy.delete_account(member, member)
    assert db.session.get(User, member.id).avatar_key is None and stored_files(app) == []


def test_pictures_add_no_query_to_the_lists(client, auth, w, app):
    auth.login_as(w["member"])  # a rendered page, not one from the page cache
    key, widths = images.store(images.renditions(photo((500, 300)), images.COVER))
    for chapter in db.session.query(Chapter):
        chapter.cover_key, chapter.cover_widths, chapter.cover_alt = key, widths, "A cover"
    for project in db.session.query(Project):
        project.cover_key, project.cover_widths, project.cover_alt = key, widths, "A cover"
    db.session.commit()
    for path in ("/projects/", "/chapters/"):
        with count_queries() as with_covers:
            assert "A cover" in client.get(path).get_data(as_text=True)
        for model in (Chapter, Project):
            db.session.query(model).update({"cover_key": None, "cover_widths": None, "cover_alt": None})
        db.session.commit()
        with count_queries() as without:
            client.get(path)
        assert len(with_covers) == len(without)
        for model in (Chapter, Project):
            db.session.query(model).update({"cover_key": key, "cover_widths": widths, "cover_alt": "A cover"})
        db.session.commit()

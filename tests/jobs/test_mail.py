"""Email through a real SMTP server (aiosmtpd on 127.0.0.1), jobs run inline: who receives what,
in which language; unsubscribe without signing in; digests; the SMTP server down then back."""
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from accounts import notifications
from accounts.mail import unsubscribe_token
from accounts.models import Notification, User
from core import jobs
from core.audit import utcnow
from core.extensions import db
from core.jobs import JobIntent
from tests.factories import make_user
from tests.jobs.conftest import join


def test_the_leads_who_chose_email_receive_it_in_their_language(client, auth, chapter, mail_sink):
    newcomer = join(client, auth, chapter)
    assert sorted(r for rcpts, _ in mail_sink.messages for r in rcpts) == ["lea@example.org", "sam@example.org"]
    [french] = mail_sink.to("lea@example.org")
    [english] = mail_sink.to("sam@example.org")
    assert french["Subject"] == "Ada Lovelace a rejoint Lyon Freelancers."
    assert english["Subject"] == "Ada Lovelace joined Lyon Freelancers."
    assert french["To"] == "Léa Martin <lea@example.org>"
    text = french.get_body(("plain",)).get_content()
    html = french.get_body(("html",)).get_content()
    assert "Bonjour Léa Martin," in text and "http://127.0.0.1:5000/me/notifications/" in text  # opened: read
    assert '<html lang="fr">' in html and "Se désabonner" in html
    assert french["List-Unsubscribe"].startswith("<http://127.0.0.1:5000/unsubscribe/")
    assert french["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail_sink.to(newcomer.email) == []  # the actor is never notified
    emailed = db.session.scalars(select(Notification.emailed_at).where(Notification.emailed_at.is_not(None))).all()
    assert len(emailed) == 2


def test_without_smtp_the_mail_is_written_as_eml_files(client, auth, chapter, app):
    join(client, auth, chapter)
    files = sorted(Path(app.config["MAIL_FOLDER"]).glob("*.eml"))
    assert len(files) == 2
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in files[0].read_bytes()


def unsubscribe_url(msg) -> str:
    return msg["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:5000")


def test_unsubscribe_works_without_signing_in(client, auth, chapter, mail_sink):
    join(client, auth, chapter)
    [mail] = mail_sink.to("sam@example.org")
    url = unsubscribe_url(mail)
    page = client.get(url)  # a link scanner's GET changes nothing
    assert page.status_code == 200 and "Stop receiving emails about" in page.get_data(as_text=True)
    sam = db.session.scalar(select(User).where(User.handle == "sam"))
    done = client.post(url)
    assert done.status_code == 200 and "you will no longer receive emails" in done.get_data(as_text=True)
    join(client, auth, chapter, name="Bob Builder", handle="bob")
    assert len(mail_sink.to("sam@example.org")) == 1 and len(mail_sink.to("lea@example.org")) == 2
    assert notifications.preferences(sam)["chapter.member_joined"] == "app"


def test_the_mail_clients_one_click_post_unsubscribes(client, auth, chapter, mail_sink):
    join(client, auth, chapter)
    [mail] = mail_sink.to("lea@example.org")
    response = client.post(unsubscribe_url(mail), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    join(client, auth, chapter, name="Bob Builder", handle="bob")
    assert len(mail_sink.to("lea@example.org")) == 1


def test_a_tampered_or_expired_unsubscribe_link_is_refused(client, app, chapter):
    user = make_user()
    token = unsubscribe_token(user.id, "chapter.member_joined")
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for response in (client.get(f"/unsubscribe/{tampered}"), client.post(f"/unsubscribe/{tampered}")):
        assert response.status_code == 400
        assert "This unsubscribe link does not work" in response.get_data(as_text=True)
    app.config["UNSUBSCRIBE_MAX_AGE"] = -1  # every token is now too old
    expired = client.post(f"/unsubscribe/{token}")
    assert expired.status_code == 400
    assert notifications.preferences(user)["chapter.member_joined"] == "digest"  # nothing changed


def test_the_daily_digest_gathers_everything_once(client, auth, chapter, mail_sink, runner):
    join(client, auth, chapter)
    join(client, auth, chapter, name="Bob Builder", handle="bob")
    assert mail_sink.to("dig@example.org") == []  # nothing until the digest
    result = runner.invoke(args=["jobs", "run", "accounts.tasks.send_daily_digests"])
    assert result.exit_code == 0, result.output
    [digest] = mail_sink.to("dig@example.org")
    assert digest["Subject"] == "Your Chapterhouse digest: 2 new notifications"
    text = digest.get_body(("plain",)).get_content()
    assert "Ada Lovelace joined Lyon Freelancers." in text and "Bob Builder joined Lyon Freelancers." in text
    runner.invoke(args=["jobs", "run", "accounts.tasks.send_daily_digests"])
    assert len(mail_sink.to("dig@example.org")) == 1
    assert len(mail_sink.to("lea@example.org")) == 2  # email, not digest, for those who chose email


def test_preferences_page_in_french(client, auth):
    user = make_user(locale="fr")
    auth.login_as(user)
    page = client.get("/me/notifications").get_data(as_text=True)
    assert "Préférences de notification" in page
    assert "Quelqu’un rejoint un chapitre que vous animez" in page
    assert "Dans un e-mail récapitulatif quotidien" in page
    assert "/me/notifications" in client.get("/me/edit").get_data(as_text=True)


def test_preferences_are_saved_and_invalid_choices_refused(client, auth):
    user = make_user()
    auth.login_as(user)
    every_kind = {"kind_" + name.replace(".", "_"): "app" for name in notifications.KINDS}
    response = client.post("/me/notifications", data={**every_kind, "kind_chapter_member_joined": "email"})
    assert response.status_code == 302
    assert notifications.preferences(user)["chapter.member_joined"] == "email"
    bad = client.post("/me/notifications", data={**every_kind, "kind_chapter_member_joined": "pigeon"})
    assert bad.status_code == 400 and "is-invalid" in bad.get_data(as_text=True)
    assert client.get("/me/notifications").status_code == 200
    auth.logout()
    assert client.get("/me/notifications").headers["Location"].startswith("/auth/login")


def test_smtp_refusing_connections_then_recovering_loses_and_duplicates_nothing(client, auth, chapter, mail_sink):
    mail_sink.stop()  # connections to its port are now refused
    join(client, auth, chapter)  # the request succeeds all the same
    waiting = db.session.scalars(select(JobIntent).where(JobIntent.name == "accounts.tasks.email_notification")).all()
    assert [(i.status, i.attempts) for i in waiting] == [("pending", 1), ("pending", 1)]
    assert all("Connection refused" in i.last_error or "Errno 111" in i.last_error for i in waiting)
    assert db.session.scalar(select(Notification.id).where(Notification.emailed_at.is_not(None))) is None
    mail_sink.start()
    later = utcnow() + timedelta(hours=1)
    assert jobs.sweep(now=later) == 2
    assert jobs.sweep(now=later) == 0
    assert len(mail_sink.to("lea@example.org")) == 1 and len(mail_sink.to("sam@example.org")) == 1
    db.session.expire_all()
    assert {i.status for i in db.session.scalars(select(JobIntent))} == {"done"}


def test_line_breaks_in_names_titles_and_reasons_never_stop_an_email(app, mail_sink):
    """A revocation reason on two lines, a project title and a name with CR/LF or a Unicode line separator:
    the email still goes out, to the SMTP server and as a file, with single-line headers."""
    import credentials.issuing  # noqa: F401  (registers the credential notification kinds)

    holder = make_user("holder", name="Léa\r\nMartin", email="holder@example.org")
    notifications.notify([holder], "credential_revoked", url="/credentials/x", project="Water\nmap\u2028II",
                         reason="Issued by mistake.\r\nBcc: victim@example.org")
    db.session.commit()
    [msg] = mail_sink.to("holder@example.org")
    assert msg["Subject"] == "Your credential for “Water map II” was revoked: Issued by mistake. Bcc: victim@example.org"
    assert msg["To"] == "Léa Martin <holder@example.org>"
    assert msg["Bcc"] is None
    assert db.session.scalar(select(JobIntent.status)) == "done"

    app.config["SMTP_HOST"] = None
    notifications.notify([holder], "credential_revoked", url="/credentials/y", project="Two\r\nlines", reason="x\ny")
    db.session.commit()
    [eml] = Path(app.config["MAIL_FOLDER"]).glob("*.eml")
    from email import message_from_bytes, policy
    assert message_from_bytes(eml.read_bytes(), policy=policy.default)["Subject"] == \
        "Your credential for “Two lines” was revoked: x y"

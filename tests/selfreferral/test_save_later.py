"""Save and come back later: what is on the page is kept as typed, a one-use link is e-mailed, this browser forgets
the draft, and the link resumes it once, in another browser, within REFERRAL_SAVED_DRAFT_DAYS."""
import hashlib
import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app import create_app
from app.core import crypto
from app.core.mail import OutboxMessage
from app.core.security import MaskTokens
from app.selfreferral import spa
from app.selfreferral.models import Referral, ReferralDraft, SavedDraftLink
from tests.selfreferral.conftest import VALID

LINK = re.compile(r"http://localhost(/refer/resume/[A-Za-z0-9_\-]+)\?lang=(\w+)")


def _count(db, model):
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _saved_mails(db):
    db.session.expire_all()
    messages = db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == "referral_saved_draft")
                                  ).scalars().all()
    return [crypto.decrypt(message.envelope) for message in messages]


def _link_path(db):
    return LINK.search(_saved_mails(db)[-1]["body"]).group(1)


def _save_on_contact_page(client, refer, contact=None):
    """Three pages answered, then Save on the contact page with what is typed there (valid or not)."""
    refer(stop_before="contact")
    data = {"save_later": "1", **(contact if contact is not None else VALID["contact"])}
    response = client.post("/refer/contact", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/refer/save"
    return response


def test_save_keeps_a_half_filled_page_exactly_as_typed_and_asks_for_an_address(client, refer, db):
    typed = {"methods": ["phone", "email"], "phone": "not a phone", "email": "amina@example.org",
             "not_before": "25:99", "trusted_contact": "The library desk"}  # no answer to "leave a message"
    _save_on_contact_page(client, refer, typed)
    body = client.get("/refer/save").get_data(as_text=True)
    assert 'value="amina@example.org"' in body  # offered the address typed on the contact page (it is valid)
    draft = db.session.execute(select(ReferralDraft)).scalar_one()
    assert "contact" not in draft.answers["_completed"]  # the page is not done: Continue still checks it
    assert draft.answers["email"] == "amina@example.org" and "phone" not in draft.answers  # what validated is kept
    page = client.get("/refer/contact").get_data(as_text=True)
    assert 'value="not a phone"' in page and 'value="25:99"' in page and 'value="The library desk"' in page
    assert "govuk-error-summary" not in page  # shown as typed, not as a failed Continue
    assert client.post("/refer/contact", data=VALID["contact"]).status_code == 302
    db.session.expire_all()
    draft = db.session.execute(select(ReferralDraft)).scalar_one()
    assert "contact" in draft.answers["_completed"] and "contact" not in draft.answers["_typed"]
    assert 'value="07700 900982"' in client.get("/refer/contact").get_data(as_text=True)


def test_a_bad_address_is_refused_with_the_typed_text_kept_and_nothing_sent(client, refer, db, html_page):
    _save_on_contact_page(client, refer)
    response = client.post("/refer/save", data={"email": "amina at example"})
    assert response.status_code == 400
    page = html_page(response)
    assert page.title.startswith("Error:")
    assert "Enter an email address in the correct format" in page.text(".govuk-error-summary")
    assert page.select_one("#email")["value"] == "amina at example"
    response = client.post("/refer/save", data={"email": "  "})
    assert "Enter an email address so we can send you the link" in html_page(response).text(".govuk-error-summary")
    assert _saved_mails(db) == [] and _count(db, SavedDraftLink) == 0
    assert client.get("/refer/about").status_code == 200  # still this browser's draft


def test_saving_sends_a_one_use_link_stores_only_its_hash_and_detaches_the_draft(client, refer, db, html_page):
    _save_on_contact_page(client, refer)
    response = client.post("/refer/save", data={"email": "amina@example.org"})
    assert response.status_code == 302 and response.headers["Location"] == "/refer/saved"
    page = html_page(client.get("/refer/saved"))
    assert "amina@example.org" in page.text("main")
    assert "This browser no longer has your answers" in page.text("main")
    until = datetime.now(UTC) + timedelta(days=7)
    assert f"{until.day} {until:%B} {until.year}" in page.text("main")
    assert client.get("/refer/saved").status_code == 302  # told once; the address is not kept in the session

    [mail] = _saved_mails(db)
    assert mail["to"] == "amina@example.org" and mail["language"] == "en"
    path = _link_path(db)
    token = path.rsplit("/", 1)[1]
    link = db.session.execute(select(SavedDraftLink)).scalar_one()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    assert link.expires_at - datetime.now(UTC).replace(tzinfo=None) > timedelta(days=6, hours=23)

    # This browser forgets it: no continue on the start page, and the pages go back to the start.
    assert "Continue where you left off" not in client.get("/refer/").get_data(as_text=True)
    assert client.get("/refer/about").headers["Location"] == "/refer/"
    assert _count(db, ReferralDraft) == 1  # kept on the server for the link


def test_the_link_resumes_once_in_another_browser_where_they_left_off(app, client, refer, db, html_page):
    _save_on_contact_page(client, refer, {"methods": ["phone"], "phone": "0770"})
    client.post("/refer/save", data={"email": "amina@example.org"})
    path = _link_path(db)
    other = app.test_client()
    for _ in range(2):  # opening the link (a mail scanner too) does not use it up
        page = html_page(other.get(path))
        assert page.heading == "Continue your referral" and page.select_one("form button#continue-saved")
    response = other.post(path)
    assert response.status_code == 302 and response.headers["Location"] == "/refer/contact"
    assert 'value="0770"' in other.get("/refer/contact").get_data(as_text=True)
    assert "Amina Example" in other.get("/refer/about").get_data(as_text=True)
    assert client.get("/refer/about").headers["Location"] == "/refer/"  # still nothing in the first browser

    again = app.test_client()
    for method in (again.get, again.post, other.post):
        response = method(path)
        assert response.status_code == 410
        assert html_page(response).heading == "This link has already been used"
        assert html_page(response).select_one('a[href="/refer/"]')
    assert "Amina Example" in other.get("/refer/about").get_data(as_text=True)  # using it again changed nothing


def test_a_resumed_draft_has_a_new_id_and_replaces_the_new_browsers_own(app, client, refer, db):
    _save_on_contact_page(client, refer)
    old_id = db.session.execute(select(ReferralDraft.id)).scalar_one()
    client.post("/refer/save", data={"email": "amina@example.org"})
    other = app.test_client()
    other.post("/refer/start")  # this browser had its own draft
    other.post(_link_path(db))
    db.session.expire_all()
    assert _count(db, ReferralDraft) == 1
    assert db.session.execute(select(ReferralDraft.id)).scalar_one() != old_id


def test_expired_and_unknown_links_get_a_clear_page_not_an_error(app, client, refer, db, frozen_clock, html_page):
    start = frozen_clock(datetime.now(UTC).replace(microsecond=0))
    _save_on_contact_page(client, refer)
    client.post("/refer/save", data={"email": "amina@example.org"})
    path = _link_path(db)
    frozen_clock(start + timedelta(days=7, minutes=1))
    other = app.test_client()
    for method in (other.get, other.post):
        response = method(path)
        assert response.status_code == 410 and html_page(response).heading == "This link has expired"
    assert client.get("/refer/about").headers["Location"] == "/refer/"
    for bad in ("/refer/resume/" + "x" * 43, "/refer/resume/short", "/refer/resume/" + "é" * 40,
                "/refer/resume/" + "a" * 500):
        for method in (other.get, other.post):
            response = method(bad)
            assert response.status_code == 404 and html_page(response).heading == "This link does not work"


def test_a_saved_draft_outlives_the_idle_timeout_and_is_purged_when_its_link_expires(client, refer, db, frozen_clock,
                                                                                   app):
    start = frozen_clock(datetime.now(UTC).replace(microsecond=0))
    _save_on_contact_page(client, refer)
    client.post("/refer/save", data={"email": "amina@example.org"})
    path = _link_path(db)
    abandoned = app.test_client()
    refer_other = abandoned.post("/refer/start")
    assert refer_other.status_code == 302

    frozen_clock(start + timedelta(days=6))
    counts = spa.run_purge()
    assert counts["drafts"] == 1 and counts["saved_drafts"] == 0  # the abandoned one only
    assert _count(db, ReferralDraft) == 1 and _count(db, SavedDraftLink) == 1

    frozen_clock(start + timedelta(days=7, seconds=1))
    counts = spa.run_purge()
    assert counts["saved_drafts"] == 1
    assert _count(db, ReferralDraft) == 0 and _count(db, SavedDraftLink) == 0
    assert app.test_client().post(path).status_code == 404


def test_the_purge_command_reports_saved_drafts(client, refer, db, frozen_clock, runner):
    start = frozen_clock(datetime.now(UTC).replace(microsecond=0))
    _save_on_contact_page(client, refer)
    client.post("/refer/save", data={"email": "amina@example.org"})
    frozen_clock(start + timedelta(days=8))
    result = runner.invoke(args=["referrals", "purge"])
    assert "1 saved drafts whose link expired" in result.output, result.output


def test_the_saved_draft_days_are_a_setting(app, client, refer, db, frozen_clock):
    app.config["REFERRAL_SAVED_DRAFT_DAYS"] = 2
    start = frozen_clock(datetime.now(UTC).replace(microsecond=0))
    _save_on_contact_page(client, refer)
    client.post("/refer/save", data={"email": "amina@example.org"})
    link = db.session.execute(select(SavedDraftLink)).scalar_one()
    assert link.expires_at == start.replace(tzinfo=None) + timedelta(days=2)


def test_a_referral_sent_from_a_resumed_draft_is_stored_once(app, client, refer, db, journey_token):
    refer(stop_before="consent")
    client.post("/refer/consent", data={"save_later": "1", **VALID["consent"]})  # a page that validates
    client.post("/refer/save", data={"email": "amina@example.org"})
    other = app.test_client()
    response = other.post(_link_path(db))
    assert response.headers["Location"] == "/refer/check"  # every page done: straight to the check page
    body = other.get("/refer/check").get_data(as_text=True)
    token = re.search(r'name="journey" value="([^"]+)"', body).group(1)
    assert other.post("/refer/send", data={"journey": token}).headers["Location"] == "/refer/sent"
    assert other.post("/refer/send", data={"journey": token}).headers["Location"] == "/refer/sent"
    assert _count(db, Referral) == 1 and _count(db, ReferralDraft) == 0
    referral = db.session.execute(select(Referral)).scalar_one()
    assert not any(key.startswith("_") for key in referral.answers)


def test_the_check_page_offers_save_after_send(client, refer, html_page):
    refer()
    page = html_page(client.get("/refer/check"))
    buttons = [el.get("id") or el.name for el in page.select("main .govuk-button")]
    assert buttons.index("save-later") > buttons.index("button")
    assert page.select_one("#save-later")["href"] == "/refer/save"
    assert "govuk-button--secondary" in page.select_one("#save-later")["class"]


def test_the_save_button_comes_after_continue_on_every_question_page(client, refer, html_page):
    refer(overrides={"who": {"route": "worker"}}, stop_before="consent")
    for name in ("who", "safety", "referrer", "about", "contact", "address", "needs", "language", "equality",
                 "consent"):
        buttons = html_page(client.get(f"/refer/{name}")).select("main form button[type=submit]")
        assert [b.get("name") for b in buttons] == [None, "save_later"], name
        assert "govuk-button--secondary" in buttons[1]["class"]


def test_a_helper_gets_the_link_at_their_own_address_in_their_voice(client, refer, db, html_page):
    refer(overrides={"who": {"route": "on_behalf"}, "referrer": {"referrer_email": "sam@helper.example"}},
          stop_before="address")
    client.post("/refer/address", data={"save_later": "1"})
    page = html_page(client.get("/refer/save"))
    assert page.select_one("#email")["value"] == "sam@helper.example"  # not the person's amina@example.org
    assert "The link comes to you" in page.text("main") and "continue this referral" in page.text("main")
    client.post("/refer/save", data={"email": "sam@helper.example"})
    assert "This browser no longer has the answers" in html_page(client.get("/refer/saved")).text("main")
    [mail] = _saved_mails(db)
    assert mail["to"] == "sam@helper.example" and "You saved a referral" in mail["body"]
    assert "If the person is in danger" in mail["body"]


def test_saving_without_a_draft_goes_to_the_start(client):
    assert client.get("/refer/save").headers["Location"] == "/refer/"
    assert client.post("/refer/save", data={"email": "a@example.org"}).headers["Location"] == "/refer/"
    assert client.get("/refer/saved").headers["Location"] == "/refer/"


def test_save_needs_the_csrf_token(app, client, refer, db):
    _save_on_contact_page(client, refer)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/refer/save", data={"email": "amina@example.org"}).status_code == 400
    assert client.post("/refer/contact", data={"save_later": "1"}).status_code == 400
    assert _saved_mails(db) == []
    body = client.get("/refer/save").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
    response = client.post("/refer/save", data={"email": "amina@example.org", "csrf_token": csrf})
    assert response.status_code == 302
    path = _link_path(db)
    assert client.post(path).status_code == 400  # the Continue button's POST is protected too
    assert db.session.execute(select(SavedDraftLink.used_at)).scalar_one() is None


def test_resume_tokens_are_masked_in_access_logs():
    record = logging.LogRecord("werkzeug", logging.INFO, "", 0, '"POST /refer/resume/%s HTTP/1.1" 302 -',
                               ("Abc-_123xyz" * 4,), None)
    MaskTokens().filter(record)
    assert record.getMessage() == '"POST /refer/resume/[token] HTTP/1.1" 302 -'


@pytest.fixture
def limited(_session_app, tmp_path, db):
    from app.extensions import limiter
    config = dict(_session_app.config)
    config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", SEARCH_INDEX_DIR=str(tmp_path / "i"),
                  WTF_CSRF_ENABLED=False, RATELIMIT_SAVED_DRAFT_PER_EMAIL="2 per hour")
    app = create_app(config)
    try:
        yield app
    finally:
        limiter.reset()
        limiter.enabled = False
        with app.app_context():
            db.engine.dispose()


def _save_from(app, email, address):
    client = app.test_client()
    env = {"REMOTE_ADDR": address}
    client.post("/refer/start", environ_base=env)
    client.post("/refer/who", data={"save_later": "1"}, environ_base=env)
    return client.post("/refer/save", data={"email": email}, environ_base=env).status_code


def test_the_save_email_is_rate_limited_per_address_it_goes_to(limited):
    statuses = [_save_from(limited, "Victim@Example.org ", f"10.0.0.{n}") for n in range(1, 5)]
    assert statuses == [302, 302, 429, 429]
    assert _save_from(limited, "someone.else@example.org", "10.0.0.9") == 302
    with limited.app_context():
        from app.extensions import db
        mails = db.session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one()
    assert mails == 3


def test_the_link_is_mailed_over_smtp_in_the_language_of_the_pages(app, client, refer, db, smtp_server, html_page):
    client.get("/refer/?lang=ar")
    _save_on_contact_page(client, refer)
    assert client.post("/refer/save", data={"email": "amina@example.org"}).status_code == 302
    [message] = smtp_server
    assert message["To"] == "amina@example.org" and message["Content-Language"] == "ar" and message["Date"]
    body = message.get_payload(decode=True).decode()
    assert "\u2066http://localhost/refer/resume/" in body  # kept left to right in the Arabic text
    path = re.search(r"http://localhost(/refer/resume/[^\s\u2069]+)", body).group(1)
    assert path.endswith("?lang=ar")
    assert "http://localhost" in body.rsplit("—", 1)[1]  # the footer: the date it was written and the site
    token = path.split("/")[-1].split("?")[0]
    assert token not in str(db.session.execute(select(SavedDraftLink.token_hash)).all())
    page = html_page(app.test_client().get(path))
    assert page.select_one("html")["lang"] == "ar" and page.select_one("#continue-saved")


def test_of_two_uses_at_the_same_moment_only_one_resumes(app, db, build, monkeypatch):
    from app.selfreferral import saved_drafts
    token = build.saved_draft_token({"route": "self", "full_name": "Amina Example", "_completed": ["who"]})
    with app.test_request_context():
        draft, status = saved_drafts.resume(token)
        db.session.commit()
    assert status == "ok" and draft.answers["full_name"] == "Amina Example"
    # The second request read the link before the first had used it: its claim finds it used.
    real, checks = saved_drafts.link_status, iter(["ok"])
    monkeypatch.setattr(saved_drafts, "link_status", lambda t: next(checks, None) or real(t))
    with app.test_request_context():
        assert saved_drafts.resume(token) == (None, "used")
        db.session.commit()
    assert _count(db, ReferralDraft) == 1

"""Problems reported by the public: a manager reads one, archives its listing, closes it with an outcome and
replies to the reporter in their language; "remind now" and "edit" on the stale list."""
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from app.core.audit import AuditEvent
from app.core.db import utcnow
from app.directory.models import ProblemReport, ReminderLog, Revision


@pytest.fixture
def setup(build):
    org = build.organisation(name="Fairfield Hall", slug="fairfield")
    service = build.service(organisation=org, name="Tuesday lunch club")
    provider = build.user("provider", organisations=[org])
    manager = build.user("manager")
    return {"org": org, "service": service, "provider": provider, "manager": manager}


def _body(message):
    return message.get_payload(decode=True).decode() if not message.is_multipart() else \
        message.get_payload(0).get_payload(decode=True).decode()


def _report(client, slug, **data):
    return client.post(f"/services/{slug}/report", data={"problem": "times", "message": "Now on Wednesdays",
                                                         "email": "resident@example.org", **data})


def test_an_over_long_report_is_refused_with_a_count_and_keeps_every_character(client, setup, db):
    long_text = "x" * 20_000
    response = _report(client, setup["service"].slug, message=long_text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Details must be 2,000 characters or fewer" in page and "govuk-error-summary" in page
    assert long_text in page  # nothing cut off
    assert 'data-maxlength="2000"' in page and "You can enter up to 2,000 characters" in page
    assert db.session.execute(select(ProblemReport)).first() is None
    assert _report(client, setup["service"].slug, message="y" * 2000).status_code == 302


def test_a_report_remembers_the_language_it_was_written_in(client, setup, db):
    response = client.post(f"/services/{setup['service'].slug}/report",
                           data={"problem": "times", "email": "resident@example.org"},
                           headers={"Accept-Language": "ar"})
    assert response.status_code == 302
    assert db.session.execute(select(ProblemReport)).scalar_one().language == "ar"


def test_the_manager_sees_what_is_wrong_who_wants_a_reply_and_links_to_act(client, login, setup, build):
    build.problem_report(setup["service"], problem="closed", message="The hall shut in May.")
    report = _first_report(build)
    report.reporter_email = "resident@example.org"
    build.db.session.commit()
    login(setup["manager"])
    listing = client.get("/manage/problems").get_data(as_text=True)
    assert "It has closed or stopped running: Tuesday lunch club" in listing and "Reply wanted" in listing
    page = client.get(f"/manage/problems/{report.id}").get_data(as_text=True)
    assert "It has closed or stopped running" in page and "The hall shut in May." in page
    assert "resident@example.org" in page
    slug = setup["service"].slug
    for href in (f"/provider/services/{slug}/edit", f"/manage/services/{slug}/history",
                 f"/manage/problems/{report.id}/archive", f"/services/{slug}"):
        assert f'href="{href}"' in page, href


def _first_report(build):
    return build.db.session.execute(select(ProblemReport)).scalars().first()


def test_closing_needs_an_outcome_and_keeps_what_was_typed(client, login, setup, build):
    build.problem_report(setup["service"])
    report = _first_report(build)
    report.reporter_email = "resident@example.org"
    build.db.session.commit()
    login(setup["manager"])
    response = client.post(f"/manage/problems/{report.id}", data={"note": "Rang them", "reply": "Thanks, fixed."})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Error:" in page.split("</title>")[0]
    assert 'href="#outcome-0"' in page and "Choose what was done" in page
    assert "Rang them" in page and "Thanks, fixed." in page
    build.db.session.refresh(report)
    assert report.status == "open"


def test_closing_with_a_reply_e_mails_the_reporter_in_their_language(client, login, setup, build, smtp_server):
    build.problem_report(setup["service"])
    report = _first_report(build)
    report.reporter_email, report.language = "resident@example.org", "ar"
    build.db.session.commit()
    login(setup["manager"])
    response = client.post(f"/manage/problems/{report.id}", data={
        "outcome": "corrected", "note": "Times updated after a call.", "reply": "Thank you: it is on Wednesdays now."})
    assert response.status_code == 302 and response.headers["Location"] == "/manage/problems"
    build.db.session.refresh(report)
    assert (report.status, report.outcome, report.outcome_note) == ("resolved", "corrected",
                                                                    "Times updated after a call.")
    assert report.resolved_by_id == setup["manager"].id and report.replied_at is not None
    [message] = [m for m in smtp_server if m["To"] == "resident@example.org"]
    assert message["Content-Language"] == "ar"
    body = _body(message)
    assert "Thank you: it is on Wednesdays now." in body and f"/services/{setup['service'].slug}" in body
    assert "Tuesday lunch club" in str(make_header(decode_header(message["Subject"])))
    event = build.db.session.execute(select(AuditEvent).where(AuditEvent.action == "problem_closed")).scalar_one()
    assert event.user_id == setup["manager"].id and "resident@example.org" not in event.detail
    closed = client.get("/manage/problems?show=closed").get_data(as_text=True)
    assert "The listing was corrected" in closed
    again = client.post(f"/manage/problems/{report.id}", data={"outcome": "no_change"}, follow_redirects=True)
    assert "This report was already closed." in again.get_data(as_text=True)
    build.db.session.refresh(report)
    assert report.outcome == "corrected"


def test_no_reply_can_be_sent_without_an_address(client, login, setup, build, smtp_server):
    build.problem_report(setup["service"])
    report = _first_report(build)
    login(setup["manager"])
    response = client.post(f"/manage/problems/{report.id}", data={"outcome": "no_change", "reply": "Hello"})
    assert response.status_code == 400
    assert "did not give an e-mail address" in response.get_data(as_text=True)
    response = client.post(f"/manage/problems/{report.id}", data={"outcome": "no_change"})
    assert response.status_code == 302 and not smtp_server


def test_archiving_asks_first_withdraws_the_listing_and_keeps_it_in_history(client, login, setup, build):
    build.problem_report(setup["service"], problem="closed")
    report = _first_report(build)
    slug = setup["service"].slug
    login(setup["manager"])
    early = client.post(f"/manage/problems/{report.id}", data={"outcome": "archived"})
    assert early.status_code == 400 and "Archive the listing first" in early.get_data(as_text=True)
    confirm = client.get(f"/manage/problems/{report.id}/archive").get_data(as_text=True)
    assert "Yes, archive it" in confirm and "No, go back" in confirm
    assert setup["service"].status == "published"  # a GET changes nothing
    assert client.post(f"/manage/problems/{report.id}/archive").status_code == 302
    build.db.session.refresh(setup["service"])
    assert setup["service"].status == "archived"
    assert client.get(f"/services/{slug}").status_code == 404
    revision = build.db.session.execute(select(Revision).where(Revision.entity_id == setup["service"].id)
                                        .order_by(Revision.id.desc())).scalars().first()
    assert revision.status == "applied" and revision.submitted_by_id == setup["manager"].id
    assert client.post(f"/manage/problems/{report.id}", data={"outcome": "archived"}).status_code == 302
    build.db.session.refresh(report)
    assert report.outcome == "archived"


def test_only_managers_and_admins_act_on_reports(client, login, setup, build):
    build.problem_report(setup["service"])
    report = _first_report(build)
    login(setup["provider"])
    assert client.get(f"/manage/problems/{report.id}").status_code == 403
    assert client.post(f"/manage/problems/{report.id}/archive").status_code == 403
    build.db.session.refresh(setup["service"])
    assert setup["service"].status == "published"


def test_unknown_reports_are_not_found(client, login, setup):
    login(setup["manager"])
    assert client.get("/manage/problems/999999").status_code == 404
    assert client.get("/manage/problems/" + "9" * 30).status_code == 404
    assert client.post("/manage/problems/999999/archive").status_code == 404


def _stale(service, db):
    service.last_verified_at = utcnow() - timedelta(days=400)
    db.session.commit()


def test_remind_now_e_mails_the_listings_providers_at_once(client, login, setup, db, smtp_server):
    _stale(setup["service"], db)
    login(setup["manager"])
    page = client.get("/manage/stale").get_data(as_text=True)
    slug = setup["service"].slug
    assert f'href="/provider/services/{slug}/edit"' in page and f'action="/manage/stale/{slug}/remind"' in page
    response = client.post(f"/manage/stale/{slug}/remind")
    assert response.status_code == 302 and response.headers["Location"].endswith("/manage/stale")
    assert [m["To"] for m in smtp_server] == [setup["provider"].email]
    assert "Tuesday lunch club" in _body(smtp_server[0])
    assert db.session.execute(select(ReminderLog)).scalar_one().user_id == setup["provider"].id
    flashed = client.get("/manage/stale").get_data(as_text=True)
    assert "a reminder was e-mailed to 1 person" in flashed


def test_remind_now_says_when_there_is_no_one_to_remind(client, login, setup, db, build, smtp_server):
    other = build.service(organisation=build.organisation(name="Nobody's group"), name="Orphan walk")
    _stale(other, db)
    login(setup["manager"])
    response = client.post(f"/manage/stale/{other.slug}/remind", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "has no one to remind" in page and not smtp_server
    important = page.split('id="flash-important-title"')[1].split("</div>\n          </div>")[0]
    assert "has no one to remind" in important and "Success" not in page.split("<main")[1].split("</h2>")[0]

"""Freshness reminders: weekly digests over real SMTP, signed 'still correct' links, the managers' report."""
import re
from datetime import datetime, timedelta
from email.header import decode_header, make_header

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from app.directory import freshness
from app.directory.listings import freshness as freshness_of
from app.directory.models import ReminderLog, Revision

NOW = datetime(2031, 3, 10, 9, 0)
SITE = "https://gems.example"
CHECK_LINK = re.compile(re.escape(SITE) + r"(/listing-check/[A-Za-z0-9_.\-]+)")


@pytest.fixture
def clock(app, monkeypatch, frozen_clock):
    """Freeze the site's clock at NOW (UTC), and give e-mail links a known address."""
    monkeypatch.setitem(app.config, "SITE_URL", SITE)
    return frozen_clock(NOW)


@pytest.fixture
def world(build, clock):
    org = build.organisation(name="Fairfield Befrienders")
    other_org = build.organisation(name="Northside Food Bank")
    quiet_org = build.organisation(name="Quiet Tidy Group")
    w = {
        "org": org,
        "stale": build.service(org, name="Tuesday tea club", last_verified_at=NOW - timedelta(days=200)),
        "out_of_date": build.service(org, name="Walking football", last_verified_at=NOW - timedelta(days=400)),
        "fresh": build.service(org, name="Fresh art class", last_verified_at=NOW - timedelta(days=20)),
        "draft": build.service(org, name="Unpublished choir", status="draft",
                               last_verified_at=NOW - timedelta(days=300)),
        "other_stale": build.service(other_org, name="Northside pantry", last_verified_at=NOW - timedelta(days=250)),
        "quiet_fresh": build.service(quiet_org, name="Quiet knitting", last_verified_at=NOW - timedelta(days=5)),
    }
    w["provider"] = build.user("provider", email="priya@fairfield.example", organisations=[org])
    w["other_provider"] = build.user("provider", email="olu@northside.example", organisations=[other_org])
    w["quiet_provider"] = build.user("provider", email="quinn@quiet.example", organisations=[quiet_org])
    retired = build.user("provider", email="retired@fairfield.example", organisations=[org])
    retired.active = False
    build.db.session.commit()
    return w


def _body(message):
    return message.get_payload(decode=True).decode("utf-8")


def _to(messages, address):
    return [m for m in messages if m["To"] == address]


def test_one_digest_per_provider_lists_only_their_stale_listings(world, smtp_server, client, db):
    result = freshness.send_reminders(now=NOW)

    assert (result.providers_emailed, result.listings_included, result.providers_skipped) == (2, 3, 0)
    assert result.sent == 2 and result.failed == 0
    assert sorted(m["To"] for m in smtp_server) == ["olu@northside.example", "priya@fairfield.example"]
    [digest] = _to(smtp_server, "priya@fairfield.example")
    assert str(make_header(decode_header(digest["Subject"]))) == "2 Hidden Gems listings need checking"
    body = _body(digest)
    assert "Tuesday tea club" in body and "Walking football" in body
    assert "Fresh art class" not in body and "Unpublished choir" not in body and "Northside pantry" not in body
    assert "Last checked: 22 August 2030" in body  # format_date, British English
    assert "Last checked: 3 February 2030" in body
    assert "The public are told this listing may be out of date." in body
    assert f"{SITE}/provider/services/{world['stale'].slug}/edit" in body
    assert f"{SITE}/provider/services/{world['out_of_date'].slug}/edit" in body

    links = CHECK_LINK.findall(body)
    assert len(links) == 2
    for path, service in zip(links, (world["out_of_date"], world["stale"]), strict=True):  # the oldest check first
        page = client.get(path)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "Is this listing still correct?" in text and service.name in text
        assert "Yes, it is still correct" in text

    [other] = _to(smtp_server, "olu@northside.example")
    other_body = _body(other)
    assert "Northside pantry" in other_body
    assert "Tuesday tea club" not in other_body and "Walking football" not in other_body
    assert not _to(smtp_server, "quinn@quiet.example")
    assert not _to(smtp_server, "retired@fairfield.example")
    logs = world["org"].providers  # noqa: F841 - relationship loads
    assert {(log.user_id, log.service_count) for log in
            freshness.db.session.execute(select(ReminderLog)).scalars()} == \
        {(world["provider"].id, 2), (world["other_provider"].id, 1)}


def test_never_twice_in_a_week_then_again_after_it(world, smtp_server):
    freshness.send_reminders(now=NOW)
    assert len(smtp_server) == 2

    again = freshness.send_reminders(now=NOW + timedelta(hours=1))
    assert (again.providers_emailed, again.listings_included, again.providers_skipped) == (0, 0, 2)
    six_days = freshness.send_reminders(now=NOW + timedelta(days=6, hours=23))
    assert six_days.providers_emailed == 0 and six_days.providers_skipped == 2
    assert len(smtp_server) == 2

    later = freshness.send_reminders(now=NOW + timedelta(days=8))
    assert (later.providers_emailed, later.providers_skipped) == (2, 0)
    assert len(smtp_server) == 4
    assert len(_to(smtp_server, "priya@fairfield.example")) == 2


def test_nothing_to_check_sends_nothing(build, smtp_server, clock):
    org = build.organisation()
    build.service(org, last_verified_at=NOW - timedelta(days=10))
    build.user("provider", organisations=[org])
    result = freshness.send_reminders(now=NOW)
    assert (result.providers_emailed, result.listings_included, result.providers_skipped) == (0, 0, 0)
    assert smtp_server == []


def test_still_correct_link_marks_the_listing_checked(world, smtp_server, client, db):
    freshness.send_reminders(now=NOW)
    [digest] = _to(smtp_server, "priya@fairfield.example")
    path = [p for p in CHECK_LINK.findall(_body(digest))][1]
    service = world["stale"]
    assert freshness_of(service, NOW) == "stale"

    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 200
    assert "Thank you for checking your listing" in response.get_data(as_text=True)

    db.session.refresh(service)
    assert service.last_verified_at == NOW
    assert service.last_verified_by_id == world["provider"].id
    assert freshness_of(service, NOW) == "fresh"
    revision = db.session.execute(select(Revision).where(Revision.entity_id == service.id)).scalar_one()
    assert (revision.kind, revision.status, revision.submitted_by_id) == ("verify", "applied", world["provider"].id)
    assert revision.snapshot["name"] == "Tuesday tea club"
    # Now fresh, it is not in the next digest.
    body = _body(_to(smtp_server, "priya@fairfield.example")[0])
    assert "Tuesday tea club" in body
    freshness.send_reminders(now=NOW + timedelta(days=8))
    newest = _body(_to(smtp_server, "priya@fairfield.example")[-1])
    assert "Tuesday tea club" not in newest and "Walking football" in newest


def _check(client, token, method="get"):
    response = getattr(client, method)(f"/listing-check/{token}")
    return response.status_code, response.get_data(as_text=True)


def test_tampered_and_wrong_tokens_are_refused_clearly(world, client, app, db):
    service, user = world["stale"], world["provider"]
    good = freshness.make_token(service, user, now=NOW)
    tampered = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    other_salt = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="something-else").dumps(
        {"s": service.id, "u": user.id})
    other_key = URLSafeTimedSerializer("not-the-key", salt="freshness").dumps({"s": service.id, "u": user.id})
    bad_shape = freshness._serializer(NOW).dumps({"s": str(service.id), "u": user.id})
    missing = freshness._serializer(NOW).dumps({"s": 999999, "u": user.id})
    for token in (tampered, other_salt, other_key, bad_shape, missing, "not-a-token", "x" * 600, "a.b.c"):
        for method in ("get", "post"):
            status, text = _check(client, token, method)
            assert status == 400, token
            assert "This link does not work" in text
    db.session.refresh(service)
    assert service.last_verified_at == NOW - timedelta(days=200)


def test_links_expire_after_30_days(world, client, db):
    service, user = world["stale"], world["provider"]
    old = freshness.make_token(service, user, now=NOW - timedelta(days=31))
    recent = freshness.make_token(service, user, now=NOW - timedelta(days=29))
    for method in ("get", "post"):
        status, text = _check(client, old, method)
        assert status == 400 and "This link has expired" in text
    db.session.refresh(service)
    assert service.last_verified_at == NOW - timedelta(days=200)
    assert _check(client, recent)[0] == 200


def test_link_refused_when_the_user_no_longer_looks_after_the_listing(world, client, db, build):
    service, user = world["stale"], world["provider"]
    token = freshness.make_token(service, user, now=NOW)
    assert _check(client, token)[0] == 200

    user.organisations = [build.organisation()]
    db.session.commit()
    for method in ("get", "post"):
        status, text = _check(client, token, method)
        assert status == 400 and "You cannot confirm this listing with this link" in text

    user.organisations = [world["org"]]
    user.active = False
    db.session.commit()
    assert _check(client, token, "post")[0] == 400

    user.active = True
    user.role_rows = [r for r in user.role_rows if r.role != "provider"]
    db.session.commit()
    assert _check(client, token, "post")[0] == 400

    # Someone else's listing, with a genuine token for a real provider, is refused too.
    other = freshness.make_token(world["other_stale"], world["provider"], now=NOW)
    assert _check(client, other, "post")[0] == 400
    db.session.refresh(service)
    assert service.last_verified_at == NOW - timedelta(days=200)
    assert db.session.execute(select(Revision)).scalars().all() == []


def test_stale_report_needs_a_manager(world, client, login, build):
    response = client.get("/manage/stale")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    for role in ("provider", "spa"):
        login(build.user(role))
        assert client.get("/manage/stale").status_code == 403
        client.post("/sign-out")
    login(build.user("admin"))
    assert client.get("/manage/stale").status_code == 200


def test_stale_report_groups_listings_by_organisation(world, client, login, build):
    build.service(world["org"], name="Never checked lunch", last_verified_at=None)
    login(build.user("manager"))
    response = client.get("/manage/stale")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'class="govuk-table"' in text
    assert text.index("Fairfield Befrienders") < text.index("Northside Food Bank")  # by organisation name
    fairfield = text[text.index("Fairfield Befrienders"):text.index("Northside Food Bank")]
    for name in ("Never checked lunch", "Walking football", "Tuesday tea club"):
        assert name in fairfield
    assert fairfield.index("Never checked lunch") < fairfield.index("Walking football") < \
        fairfield.index("Tuesday tea club")  # the longest unchecked first
    assert "3 listings" in fairfield
    assert "22 August 2030" in fairfield and "3 February 2030" in fairfield and "Never" in fairfield
    row = fairfield[fairfield.index("Tuesday tea club"):]
    assert row.index("Needs checking") < row.index("</tr>")
    row = fairfield[fairfield.index("Walking football"):]
    assert row.index("Shown as out of date") < row.index("</tr>")
    assert "Northside pantry" in text
    for hidden in ("Fresh art class", "Unpublished choir", "Quiet knitting", "Quiet Tidy Group"):
        assert hidden not in text
    assert re.search(r'id="count-stale">\s*2<', text)
    assert re.search(r'id="count-out-of-date">\s*2<', text)
    assert re.search(r'id="count-total">\s*4<', text)


def test_remind_command_prints_the_counts(world, runner, smtp_server):
    result = runner.invoke(args=["directory", "remind"])
    assert result.exit_code == 0, result.output
    assert "Providers e-mailed: 2. Listings included: 3. Providers skipped (reminded in the last 7 days): 0." \
        in result.output
    assert len(smtp_server) == 2
    again = runner.invoke(args=["directory", "remind"])
    assert "Providers e-mailed: 0" in again.output and "Providers skipped (reminded in the last 7 days): 2" \
        in again.output
    assert len(smtp_server) == 2


@pytest.mark.parametrize("offset", [timedelta(hours=-1), timedelta(days=-3), timedelta(hours=5)])
def test_links_are_signed_and_checked_by_the_site_clock(app, build, client, frozen_clock, offset):
    """Made and read on one clock: a link made "now" works "now", however far the site's clock is from the
    computer's (a frozen clock in tests; in production both are the computer's)."""
    from app.core import clock as site_clock
    org = build.organisation()
    service = build.service(org, last_verified_at=NOW - timedelta(days=200))
    provider = build.user("provider", organisations=[org])
    frozen_clock(site_clock.now_utc() + offset)
    token = freshness.make_token(service, provider)
    assert freshness.read_token(token) == (service, provider)
    assert client.get(f"/listing-check/{token}").status_code == 200


def test_a_listing_published_today_is_fresh_not_never_checked(world, build, db):
    """A new listing's freshness starts when it goes live: no public warning, no reminder the same day."""
    from app.directory import moderation
    from app.directory.csv import COLUMNS, import_csv
    from app.directory.models import Service
    from tests.directory.test_csv_io import _csv
    manager = build.user("manager")
    data = _csv([{"organisation_slug": "night-owls", "organisation_name": "Night Owls CIC",
                  "name": "Midnight chess club", "description": "Chess after dark.", "access_method": "drop in",
                  "status": "published", "categories": "creative", "formats": "phone", "languages": "en"}], COLUMNS)
    report = import_csv(data, dry_run=False, user=manager)
    assert report.ok and report.applied, report
    imported = db.session.execute(select(Service).where(Service.name == "Midnight chess club")).scalar_one()
    assert imported.status == "published" and imported.last_verified_at == NOW
    draft = build.service(world["org"], name="Brand new choir", status="draft", last_verified_at=None)
    moderation.apply_directly("service", draft, {"status": "published"}, manager)
    db.session.commit()
    assert draft.last_verified_at == NOW
    assert freshness_of(imported, NOW) == freshness_of(draft, NOW) == "fresh"
    digest = freshness.stale_listings_by_organisation(NOW)
    assert not {imported.id, draft.id} & {s.id for items in digest.values() for s in items}


def test_publishing_again_keeps_the_last_real_check(world, db):
    listing = world["out_of_date"]
    checked = listing.last_verified_at
    listing.status = "archived"
    listing.status = "published"
    db.session.commit()
    assert listing.last_verified_at == checked and freshness_of(listing, NOW) == "out_of_date"

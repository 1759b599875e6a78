"""One clock for the whole site: stored times in UTC, the borough's local time for what people see."""
from datetime import date, datetime, timedelta

from app.core import clock
from app.core.db import utcnow
from app.directory import listings


def test_a_frozen_instant_gives_utc_for_storing_and_borough_time_for_people(frozen_clock):
    frozen_clock(datetime(2026, 7, 1, 23, 30))  # naive means UTC; London is on summer time
    assert clock.now_utc() == utcnow() == datetime(2026, 7, 1, 23, 30)
    assert clock.local_now() == datetime(2026, 7, 2, 0, 30)
    assert clock.local_today() == date(2026, 7, 2)
    assert clock.to_local(datetime(2026, 1, 5, 9, 0)) == datetime(2026, 1, 5, 9, 0)  # winter: GMT


def test_stored_times_and_listing_freshness_follow_the_frozen_clock(build, db, frozen_clock):
    now = frozen_clock(datetime(2031, 3, 10, 9, 0))
    service = build.service(name="Tuesday tea club", last_verified_at=now - timedelta(days=200))
    assert service.created_at == now
    assert listings.freshness(service) == "stale"
    frozen_clock(now + timedelta(days=200))
    assert listings.freshness(service) == "out_of_date"


def test_the_clock_runs_again_when_thawed(app, frozen_clock):
    frozen_clock(datetime(2001, 1, 1))
    clock.freeze(app, None)
    assert clock.now_utc().year >= 2026

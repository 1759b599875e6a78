"""The directory manager's dashboard counts what needs doing without loading every listing."""
from datetime import timedelta

from bs4 import BeautifulSoup
from sqlalchemy import event

from app.core.db import utcnow
from app.directory.models import Service


def _stat(response, words):
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    for item in soup.select(".hg-stats li"):
        if words in item.get_text(" ", strip=True):
            return item.select_one(".hg-stats__number").get_text(strip=True)
    raise AssertionError(f"no figure for {words!r}")


def test_listings_needing_a_check_are_counted_in_the_database(client, build, login, db):
    now = utcnow()
    organisation = build.organisation()
    for days in (0, 10, 170):
        build.service(organisation, location=False, last_verified_at=now - timedelta(days=days))
    for days in (200, 400):
        build.service(organisation, location=False, last_verified_at=now - timedelta(days=days))
    build.service(organisation, location=False, last_verified_at=None)
    build.service(organisation, location=False, status="draft", last_verified_at=now - timedelta(days=400))
    login(build.user("manager"))
    db.session.expunge_all()

    loaded = []
    record = lambda target, context: loaded.append(target)  # noqa: E731
    event.listen(Service, "load", record)
    try:
        response = client.get("/manage/")
    finally:
        event.remove(Service, "load", record)

    assert response.status_code == 200
    assert _stat(response, "listings need checking") == "3"
    assert loaded == []

"""No N+1 queries: the public pages run the same number of SQL statements for 2 listings as for 12."""
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from app.directory import translations

LONDON = ZoneInfo("Europe/London")


@contextmanager
def counted(engine):
    statements = []

    def note(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _listings(build, count, start=0):
    made = []
    for k in range(start, start + count):
        service = build.service(name=f"Counselling group {k}", description=f"Talking **together** {k}.",
                                categories=("talk-befriending", "talk-counselling"), weekly=[(2, "10:00", "12:00")],
                                events=[(datetime(2026, 11, 26).date(), "18:00", "19:00", f"Open evening {k}")])
        translations.save(service, "es", {"name": f"Grupo {k}", "description": f"Hablar {k}."}, None)
        made.append(service)
    build.db.session.commit()
    return made


def _count(client, db, path, headers=None):
    client.get(path, headers=headers)  # once first: what is loaded once per worker is not the question
    with counted(db.engine) as statements:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return len(statements)


PAGES = ["/", "/services/{slug}", "/search?q=counselling", "/whats-on/", "/categories/talk",
         "/categories/"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_public_pages_run_a_constant_number_of_statements(app, db, build, client, frozen_clock, language):
    frozen_clock(datetime(2026, 11, 25, 11, 0, tzinfo=LONDON))
    headers = {"Accept-Language": language}
    first = _listings(build, 2)
    few = {path: _count(client, db, path.format(slug=first[0].slug), headers) for path in PAGES}
    _listings(build, 10, start=2)
    many = {path: _count(client, db, path.format(slug=first[0].slug), headers) for path in PAGES}
    assert many == few
    # And few in absolute terms: a handful of statements a page, not one per card.
    assert all(count <= 10 for count in many.values()), many

"""A request to join is decided once: pending -> approved or declined, nothing else, in the code and the database."""
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.directory.models import JoinRequest
from app.directory.models.onboarding import StatusTransitionError


def _request(db, status=None, **values):
    join_request = JoinRequest(name="Lee", email="lee@group.example", proposed_name="Archway Allotment Friends",
                               **values)
    if status:
        join_request.status = status
    db.session.add(join_request)
    db.session.commit()
    return join_request


@pytest.mark.parametrize("current, new, allowed", [
    ("pending", "approved", True), ("pending", "declined", True),
    ("approved", "declined", False), ("approved", "pending", False), ("declined", "approved", False),
    ("declined", "pending", False), ("pending", "pending", False), ("pending", "withdrawn", False),
])
def test_only_pending_requests_are_decided(db, current, new, allowed):
    join_request = _request(db, current)
    if allowed:
        join_request.status = new
        db.session.commit()
        assert db.session.get(JoinRequest, join_request.id).status == new
    else:
        with pytest.raises(StatusTransitionError):
            join_request.status = new


def test_a_new_request_is_pending(db):
    assert _request(db).status == "pending"


def test_the_database_refuses_an_unknown_status(db):
    join_request = _request(db)
    with pytest.raises(IntegrityError):
        db.session.execute(text("UPDATE join_request SET status = 'bogus' WHERE id = :id"), {"id": join_request.id})
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("first, second", [("approve", "decline"), ("decline", "approve"), ("approve", "approve"),
                                           ("decline", "decline")])
def test_deciding_twice_is_a_plain_error_page(client, build, login, db, smtp_server, first, second):
    join_request = _request(db)
    login(build.user("manager"))
    reason = {"reason": "We could not find the group."}
    assert client.post(f"/manage/requests/{join_request.id}/{first}", data=reason).status_code == 302
    response = client.post(f"/manage/requests/{join_request.id}/{second}", data=reason)
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.select_one("h1 + p.govuk-body").get_text(strip=True) == \
        "This request has already been dealt with"
    db.session.expire_all()
    assert db.session.get(JoinRequest, join_request.id).status == ("approved" if first == "approve" else "declined")
    assert len(smtp_server) == 1

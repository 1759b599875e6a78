"""A referral's status moves only along the allowed transitions, checked in one place (Referral.move_to)."""
import itertools

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from app.selfreferral.models import STATUSES, Referral, ReferralStatus, TransitionError

# Written out here, not read from the model: a change to the rules should be a deliberate change to this test too.
ALLOWED = {
    ("new", "triaged"), ("new", "contacted"), ("new", "allocated"), ("new", "closed"),
    ("triaged", "contacted"), ("triaged", "allocated"), ("triaged", "closed"),
    ("contacted", "allocated"), ("contacted", "closed"),
    ("allocated", "closed"),
    ("closed", "new"), ("closed", "triaged"),  # reopening
}
FORBIDDEN = set(itertools.product(STATUSES, STATUSES)) - ALLOWED


def test_the_statuses():
    assert STATUSES == ("new", "triaged", "contacted", "allocated", "closed")
    assert [s.value for s in ReferralStatus] == list(STATUSES)


@pytest.mark.parametrize("current, new", sorted(ALLOWED))
def test_allowed_transition(app, current, new):
    referral = Referral(status=current)
    assert referral.can_move_to(new)
    referral.move_to(new)
    assert referral.status == new and isinstance(referral.status, ReferralStatus)


@pytest.mark.parametrize("current, new", sorted(FORBIDDEN))
def test_forbidden_transition(app, current, new):
    referral = Referral(status=current)
    assert not referral.can_move_to(new)
    with pytest.raises(TransitionError) as caught:
        referral.move_to(new)
    assert referral.status == current
    with app.test_request_context():
        message = str(caught.value)
    assert message == (f"A referral that is “{current.capitalize()}” cannot be made "
                                 f"“{new.capitalize()}”.")


def test_the_database_refuses_an_unknown_status(db, make_referral):
    referral = make_referral()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(text("UPDATE referral SET status = 'lost' WHERE id = :id"), {"id": referral.id})
    db.session.rollback()
    with pytest.raises(StatementError):  # and the model will not even send one
        db.session.execute(select(Referral).where(Referral.status == "lost")).all()
    db.session.rollback()


def _error_message(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(
        ".govuk-error-summary__body").get_text(" ", strip=True)


def test_an_allocated_referral_cannot_be_reopened(client, db, make_referral, spa_user, login):
    referral = make_referral(status="allocated", colour="amber")
    login(spa_user)
    response = client.post(f"/spa/referrals/{referral.reference}/reopen")
    assert response.status_code == 400
    assert _error_message(response) == "A referral that is “Allocated” cannot be made “Triaged”."
    db.session.refresh(referral)
    assert referral.status == "allocated"


def test_a_closed_referral_cannot_be_closed_again(client, db, make_referral, spa_user, login):
    referral = make_referral()
    login(spa_user)
    base = f"/spa/referrals/{referral.reference}"
    assert client.post(f"{base}/close", data={"outcome": "supported"}).status_code == 302
    response = client.post(f"{base}/close", data={"outcome": "declined"})
    assert response.status_code == 400
    assert _error_message(response) == "A referral that is “Closed” cannot be made “Closed”."
    db.session.refresh(referral)
    assert referral.status == "closed" and referral.outcome == "supported"


def test_reopening_a_closed_referral(client, db, make_referral, spa_user, login):
    referral = make_referral(status="closed", outcome="supported", colour="red")
    login(spa_user)
    assert client.post(f"/spa/referrals/{referral.reference}/reopen").status_code == 302
    db.session.refresh(referral)
    assert referral.status == "triaged" and referral.outcome == "" and referral.closed_at is None


def test_actions_move_the_status_along(client, db, make_referral, spa_user, login, in_window):
    referral = make_referral()
    login(spa_user)
    base = f"/spa/referrals/{referral.reference}"
    seen = []
    for path, data in [("triage", {"colour": "green", "reason": "Light touch"}),
                       ("contact", {"method": "phone", "result": "reached"}),
                       ("assign", {"team": "Kentish Town core team"}),
                       ("contact", {"method": "phone", "result": "reached"}),  # stays allocated
                       ("triage", {"colour": "amber", "reason": "Worse"}),  # stays allocated
                       ("close", {"outcome": "supported"})]:
        assert client.post(f"{base}/{path}", data=data).status_code == 302
        db.session.refresh(referral)
        seen.append(referral.status)
    assert seen == ["triaged", "contacted", "allocated", "allocated", "allocated", "closed"]

"""A partner sees the minimum needed to support the person (sharing.PARTNER_FIELDS), and reports back."""
import pytest
from sqlalchemy import select

from app.core.audit import AuditEvent
from app.selfreferral import journey, sharing
from app.selfreferral.models import ReferralShare

# Every answer of the full form, each with a value that appears nowhere else on a page.
EVERYTHING = {
    "who": {"route": "worker"},
    "referrer": {"referrer_name": "Sam Worker", "referrer_organisation": "Zebra Centre",
                 "referrer_phone": "020 7946 0777", "agreement": "y"},
    "about": {"pronouns": "she/her", "age": ""},
    "contact": {"methods": ["phone", "trusted"], "trusted_contact": "Ask for Jo at Fairfield Mosque"},
    "address": {"address_line1": "12 Oak Road", "address_line2": "Flat Quince", "town": "Camden Town",
                "postcode": "nw5 2ab", "has_gp": "yes", "gp_name": "Queen's Crescent Practice"},
    "needs": {"current_support": "Sees a Xylophone counsellor", "substances": "yes"},
    "language": {"preferred_language": "bn", "interpreter": "yes", "access_needs": "Large print, please"},
    "equality": {"ethnicity": "asian-bangladeshi", "sex": "female", "gender_same": "no", "orientation": "bisexual",
                 "disability": "yes", "religion": "muslim"},
}


@pytest.fixture
def shared(client, db, build, make_referral, spa_user, login, in_window):
    """A referral with every answer filled in, triaged, contacted and shared with Fairfield Befrienders."""
    referral = make_referral(EVERYTHING)
    organisation = build.organisation(name="Fairfield Befrienders")
    partner = build.user("partner", email="reader@fairfield.example")
    login(spa_user)
    client.post("/spa/partners", data={"user": partner.id, "organisation": organisation.id})
    base = f"/spa/referrals/{referral.reference}"
    client.post(f"{base}/triage", data={"colour": "amber", "reason": "Triage note Walrus"})
    client.post(f"{base}/contact", data={"method": "phone", "result": "reached", "note": "Contact note Narwhal"})
    assert client.post(f"{base}/share", data={"organisation": organisation.id,
                                              "reason": "Weekly befriending calls, please"}).status_code == 302
    client.post("/sign-out")
    login(partner)
    return referral, organisation, partner


def _never_shown(referral):
    """(what, text) for every answer a partner must not see: each field's question and its answer as shown."""
    answers = {**referral.answers, "_completed": journey.STEP_NAMES}
    hidden = []
    for section in journey.summary_sections(answers):
        form = journey.get_step(section["step"]).form
        names = [n for n in form.__dict__ if not n.startswith("_") and hasattr(getattr(form, n), "field_class")]
        # Date of birth is one row; the borough question shows only when it was asked.
        shown = [n for n in names if n not in ("dob_month", "dob_year")
                 and (n != "connection" or answers.get("connection"))]
        for name, (label, value) in zip(shown, section["rows"], strict=True):
            if name in sharing.PARTNER_FIELDS or name in ("dob_day",):
                continue
            hidden.append((name, label))
            if value and len(str(value)) > 3 and str(value) not in ("Yes", "No"):
                hidden.append((name, str(value)))
    return hidden


def test_a_partner_sees_only_the_minimum(client, html_page, shared):
    referral, _organisation, _partner = shared
    page = html_page(client.get(f"/spa/referrals/{referral.reference}"))
    assert page.status_code == 200
    text = page.text("main")
    for wanted in ("Amina Example", "07700 900982", "Ask for Jo at Fairfield Mosque", "Tuesday, Thursday", "Morning",
                   "Do not call before 10:00.", "Do not leave a message.", "Bangla", "Needs an interpreter",
                   "Large print, please", "I feel very low", "Weekly befriending calls, please"):
        assert wanted in text, wanted
    hidden = _never_shown(referral)
    assert {"ethnicity", "sex", "gender_same", "orientation", "disability", "religion", "current_support",
            "referrer_name", "gp_name", "address_line1"} <= {name for name, _ in hidden}
    for name, shown in hidden:
        assert shown not in text, (name, shown)
    for secret in ("1988", "SWEMWBS", "Wellbeing", "Triage note Walrus", "Contact note Narwhal", "Amber",
                   "12 Oak Road", "NW5 2AB"):
        assert secret not in text, secret


def test_the_partner_list_and_exports_hold_no_more(client, shared):
    referral, _organisation, _partner = shared
    listed = client.get("/spa/shared").get_data(as_text=True)
    assert referral.reference in listed and "Bangladeshi" not in listed and "Muslim" not in listed
    # The only downloads are SPA staff's: the reports and their CSV.
    assert client.get("/spa/reports/").status_code == 403
    assert client.get("/spa/reports/export.csv").status_code == 403


def test_the_address_is_shared_only_for_letters(app, make_referral):
    letters = make_referral({"contact": {"methods": ["letter"]}})
    calls = make_referral()
    with app.test_request_context():
        assert sharing.partner_answers(letters)["address_line1"] == "12 Oak Road"
        assert "address_line1" not in sharing.partner_answers(calls)
        assert set(sharing.partner_answers(calls)) <= set(sharing.PARTNER_FIELDS)


def test_a_partner_records_the_outcome_and_spa_staff_see_it(client, db, html_page, login, spa_user, shared):
    referral, organisation, partner = shared
    url = f"/spa/referrals/{referral.reference}/outcome"
    page = html_page(client.post(url, data={"note": "Rang on Tuesday"}))
    assert page.status_code == 400 and "Choose what happened" in page.text(".govuk-error-summary")
    assert page.select_one(page.select_one(".govuk-error-summary a")["href"]) is not None
    assert page.select_one("#partner-note").get_text() == "Rang on Tuesday"
    assert "Ethnic" not in page.text("main")  # the error page is the partner's page, not the SPA's
    assert client.post(url, data={"outcome": "accepted", "note": "First call booked for Friday"}).status_code == 302
    share = db.session.execute(select(ReferralShare)).scalar_one()
    assert share.outcome == "accepted" and share.outcome_by_id == partner.id and share.outcome_at is not None
    assert b"Friday" not in share.outcome_note_encrypted and share.outcome_note == "First call booked for Friday"
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "partner_outcome")).scalar_one()
    assert event.user_id == partner.id and event.referral_id == referral.id
    assert "Friday" not in event.detail and "outcome=accepted" in event.detail
    client.post("/sign-out")
    login(spa_user)
    record = html_page(client.get(f"/spa/referrals/{referral.reference}")).text("main dl")
    assert "Shared with Fairfield Befrienders" in record and "Accepted" in record
    assert "First call booked for Friday" in record
    inbox = html_page(client.get("/spa/")).text("table.hg-inbox")
    assert "Fairfield Befrienders: Accepted" in inbox


def test_another_partner_cannot_record_an_outcome(client, db, build, login, shared):
    referral, _organisation, _partner = shared
    stranger = build.user("partner")
    client.post("/sign-out")
    login(stranger)
    assert client.post(f"/spa/referrals/{referral.reference}/outcome", data={"outcome": "declined"}).status_code == 404
    assert db.session.execute(select(ReferralShare.outcome)).scalar_one() == ""


def test_spa_staff_cannot_record_a_partner_outcome(client, login, spa_user, shared):
    referral, _organisation, _partner = shared
    client.post("/sign-out")
    login(spa_user)
    assert client.post(f"/spa/referrals/{referral.reference}/outcome", data={"outcome": "declined"}).status_code == 403


def test_the_share_reason_is_encrypted(db, shared):
    share = db.session.execute(select(ReferralShare)).scalar_one()
    assert b"befriending" not in share.reason_encrypted and share.reason == "Weekly befriending calls, please"

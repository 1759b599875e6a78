"""What every referral e-mail carries: its date in the person's language, a link to the site, its language in
a header; right-to-left e-mails keep numbers and references in order; helpers get the reference only."""
import re
from datetime import UTC, date, datetime
from email.header import decode_header, make_header

from babel.dates import format_date

from app.core.mail import LRI, PDI

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # a Tuesday, team working
LTR_RUN = re.compile(r"HG-[A-Z0-9-]+|https?://\S+|[\w.+-]+@[\w-]+\.\w+|\+?\d+(?:[ :.–-]\d+)+")


def _body(message):
    return message.get_payload(decode=True).decode("utf-8")


def _send(client, refer, journey_token, overrides=None, lang=None):
    if lang:
        client.get(f"/?lang={lang}")
    refer(overrides)
    client.post("/refer/send", data={"journey": journey_token()})


def _not_isolated(text):
    """Left-to-right runs not wrapped in LRI ... PDI."""
    bare = re.sub(f"{LRI}[^{PDI}]*{PDI}", " ", text)
    return LTR_RUN.findall(bare)


def test_the_copy_in_english_has_its_date_the_site_and_its_language(client, refer, journey_token, smtp_server,
                                                                     frozen_clock):
    frozen_clock(NOON)
    _send(client, refer, journey_token)
    copy = next(m for m in smtp_server if m["To"] == "amina@example.org")
    assert copy["Content-Language"] == "en"
    assert copy["Date"]
    body = _body(copy)
    assert "Sent on 1 December 2026." in body
    assert "http://localhost" in body
    assert LRI not in body and PDI not in body  # marks only where the text runs right to left


def test_the_copy_in_arabic_isolates_numbers_and_the_reference(client, refer, journey_token, smtp_server,
                                                                frozen_clock):
    frozen_clock(NOON)
    _send(client, refer, journey_token, lang="ar")
    copy = next(m for m in smtp_server if m["To"] == "amina@example.org")
    assert copy["Content-Language"] == "ar"
    body = _body(copy)
    assert any("\u0600" <= ch <= "\u06ff" for ch in body)  # written in Arabic
    assert format_date(date(2026, 12, 1), "d MMMM y", locale="ar") in body
    reference = re.search(r"HG-[A-Z0-9-]+", body).group(0)
    assert f"{LRI}{reference}{PDI}" in body
    assert f"{LRI}http://localhost{PDI}" in body
    assert _not_isolated(body) == []
    subject = str(make_header(decode_header(copy["Subject"])))
    assert f"{LRI}{reference}{PDI}" in subject


def test_a_helper_who_gives_an_email_gets_the_reference_and_nothing_else(client, db, refer, journey_token,
                                                                          smtp_server):
    _send(client, refer, journey_token, {"who": {"route": "on_behalf"},
                                         "referrer": {"referrer_email": "sam@fairfield.example.org"}})
    to_helper = [m for m in smtp_server if m["To"] == "sam@fairfield.example.org"]
    assert len(to_helper) == 1
    body = _body(to_helper[0])
    reference = re.search(r"HG-[A-Z0-9-]+", body).group(0)
    assert reference in str(make_header(decode_header(to_helper[0]["Subject"])))
    assert to_helper[0]["Content-Language"] == "en" and "http://localhost" in body
    for private in ("Amina", "rent", "07700 900982", "amina@example.org", "NW5", "Oak Road"):
        assert private not in body


def test_a_helper_without_an_email_gets_none(client, refer, journey_token, smtp_server):
    _send(client, refer, journey_token, {"who": {"route": "on_behalf"}})
    assert [m["To"] for m in smtp_server] == ["amina@example.org"]


def test_the_waiting_update_links_to_groups_for_their_needs(client, make_referral, spa_user, login, smtp_server):
    referral = make_referral()  # needs: talk and money; preferred language Bengali
    login(spa_user)
    client.post(f"/spa/referrals/{referral.reference}/update", data={"method": "email"})
    update = smtp_server[-1]
    assert update["Content-Language"] == "bn"
    body = _body(update)
    links = re.findall(r"http://localhost/search\?\S+", body)
    assert sorted(links) == ["http://localhost/search?category=money&taking=yes&lang=bn",
                             "http://localhost/search?category=talk&taking=yes&lang=bn"]
    assert "Someone to talk to" not in body  # the category names are in Bengali too
    page = client.get(links[0].removeprefix("http://localhost"))
    assert page.status_code == 200 and 'lang="bn"' in page.get_data(as_text=True)

"""A resident's whole journey to a sent referral, as a person takes it in Chromium: from the home page, switching
language with the switcher, following "Refer yourself", answering every question by its label, getting one
answer wrong, and sending. For themselves, for someone else, and when not safe right now; in English, Arabic and
Somali; on a 320 px phone and a desktop. On every page axe-core finds nothing serious, the page is no wider than
the screen, and Arabic pages read right to left.

Run just these: `.venv/bin/python -m pytest -m journeys` (APP_ENV=development)."""
import hashlib
import re
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import func, select

from app.core import crypto
from app.core.mail import OutboxMessage
from app.core.templating import format_date, format_decimal1, format_time
from app.selfreferral import questions
from app.selfreferral.models import Referral
from tests.conftest import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.journeys]

LONDON = ZoneInfo("Europe/London")
IN_HOURS = datetime(2026, 12, 1, 10, 30, tzinfo=LONDON)  # a Tuesday morning: the team reads referrals today
OUT_OF_HOURS = datetime(2026, 12, 5, 22, 0, tzinfo=UTC)  # Saturday night: next look Monday 7 December, 09:00
NEXT_LOOK = datetime(2026, 12, 7, 9, 0)
SWITCHER = {"ar": "العربية", "so": "Soomaali"}  # each language is named in itself
REFERENCE_RE = re.compile(r"HG-[A-Z0-9]{4}-[A-Z0-9]{2}")
WHO = {"self": "self", "helper": "on_behalf", "not_safe": "self"}
CONTINUE = "main form button.govuk-button:not(.govuk-button--secondary)"  # never "Save and come back later"
NAMES = {"self": "Amina Example", "helper": "Yusuf Example", "not_safe": "Hodan Example"}
ADDRESSES = {"home": re.compile(r"^https?://[^/]+/(\?[^/]*)?$"), "start": re.compile(r"/refer/$")}
SHOT_PAGES = {"urgent", "check", "sent"}  # and each page that refuses an answer
WIDER = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > innerWidth || e.getBoundingClientRect().left < 0)
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


# Pages already passed by axe-core, by width and markup: the same markup at the same width gives the same
# result, and the journeys share many pages (the home page, the start page, most questions for two routes).
AXE_PASSED = set()
TOKENS = re.compile(r'(name="(?:csrf_token|journey)" value=")[^"]*"')


def _axe_once(page):
    markup = TOKENS.sub(r'\1"', page.content())
    key = (page.viewport_size["width"], hashlib.sha256(markup.encode()).hexdigest())
    if key not in AXE_PASSED:
        assert_no_serious_axe_violations(page)
        AXE_PASSED.add(key)


class Resident:
    """One person in one browser tab, in one language: what they read is looked up in the site's catalogue."""

    def __init__(self, app, page, base, lang, route, name, *, team_open=True, shots=None, label=""):
        self.app, self.page, self.base, self.lang, self.route, self.name = app, page, base, lang, route, name
        self.open, self.shots, self.label = team_open, shots, label
        self.pages = []

    # What the page says, in the person's language

    def t(self, msgid, **values):
        with self.app.test_request_context(), force_locale(self.lang):
            return gettext(msgid, **values)

    def next_look(self):
        """What the site says when the team is not working: when it next reads referrals."""
        with self.app.test_request_context(), force_locale(self.lang):
            return gettext("The team will next look at referrals on %(day)s from %(time)s.",
                           day=format_date(NEXT_LOOK, "EEEE d MMMM"), time=format_time(NEXT_LOOK.time()))

    def distance(self, miles):
        with self.app.test_request_context(), force_locale(self.lang):
            if round(miles, 1) == 0:  # next door is "less than 0.1 miles", never "0.0 miles"
                return gettext("less than %(miles)s miles", miles=format_decimal1(0.1))
            return ngettext("%(miles)s mile", "%(miles)s miles", 100, miles=format_decimal1(miles))

    def _form(self, form_class):
        with self.app.test_request_context(), force_locale(self.lang):
            form = form_class(formdata=None, meta={"csrf": False}, route=WHO[self.route])
            labels = {name: str(field.label.text) for name, field in form._fields.items()}
            options = {name: {c.value: str(c.label) for c in field.choices or []}
                       for name, field in form._fields.items() if getattr(field, "choices", None)}
            return labels, options

    def field(self, form_class, name):
        labels, _options = self._form(form_class)
        return self.page.get_by_label(labels[name], exact=True)

    def choose(self, form_class, name, value):
        """A radio or checkbox, by its own label inside its question's group."""
        labels, options = self._form(form_class)
        group = self.page.get_by_role("group", name=labels[name])
        group.get_by_label(options[name][value], exact=True).check()

    # Every page

    def arrived(self, name, lang=None):
        page, lang = self.page, lang or self.lang
        page.wait_for_url(ADDRESSES.get(name) or re.compile(rf"/refer/{name}(\?|$)"))
        page.wait_for_load_state()
        self.pages.append(name)
        assert page.get_attribute("html", "lang").startswith(lang), name
        assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr"), name
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"{name} in {self.lang} is {wide}px wider than the screen: {page.evaluate(WIDER)}"
        _axe_once(page)
        if self.shots and name in SHOT_PAGES:
            page.screenshot(path=str(self.shots / f"{self.label}-{name}.png"), full_page=True)

    def caption(self):
        """The voice of the question pages: whose referral this is."""
        return self.page.inner_text("main .govuk-caption-l")

    def go_on(self, name):
        self.page.get_by_role("button", name=self.t("Continue"), exact=True).click()
        self.arrived(name)

    def refused(self, name, message, field_id, kept):
        """The page comes back with the error summary; its link goes to the field; what was typed is still there."""
        page = self.page
        self.arrived(name)
        assert page.title().startswith(self.t("Error:")), page.title()
        summary = page.locator(".govuk-error-summary")
        assert summary.is_visible() and self.t("There is a problem") in summary.inner_text()
        assert page.evaluate("document.activeElement.closest('.govuk-error-summary') !== null")  # read out first
        summary.get_by_role("link", name=message).click()
        assert page.evaluate("document.activeElement.id") == field_id
        for selector, value in kept.items():
            assert page.locator(selector).input_value() == value, selector
        if self.shots:
            page.screenshot(path=str(self.shots / f"{self.label}-{name}-error.png"), full_page=True)


def _walk(person, width):
    """Home page to a sent referral: returns the reference shown on the confirmation."""
    page, t, route = person.page, person.t, person.route
    page.goto(person.base + "/")
    person.arrived("home", "en")
    if person.lang != "en":
        page.locator("nav.hg-languages").get_by_role("link", name=SWITCHER[person.lang], exact=True).click()
        page.wait_for_url(f"**lang={person.lang}**")
        person.arrived("home")
    # On a phone the header's link is the one in view; on a desktop the home page's own box.
    door = page.locator("header" if width == 320 else "main").get_by_role("link", name=t("Refer yourself"))
    assert door.is_visible()
    door.click()
    page.wait_for_url("**/refer/")
    person.arrived("start")
    page.get_by_role("button", name=t("Start now")).click()
    person.arrived("who")
    person.choose(questions.WhoStep, "route", WHO[route])
    person.go_on("safety")
    assert t("Refer someone else" if route == "helper" else "Refer yourself") in person.caption()
    person.choose(questions.SafetyStep, "safe", "no" if route == "not_safe" else "yes")
    if route == "not_safe":
        _urgent_help(person)
    elif route == "helper":
        person.go_on("referrer")
        _helper(person)
    else:
        person.go_on("about")
    _about(person)
    _contact(person)
    person.choose(questions.AddressStep, "has_gp", "no")
    if route == "helper":
        person.field(questions.AddressStep, "no_fixed_address").check()
    else:
        person.field(questions.AddressStep, "address_line1").fill("12 Oak Road")
        person.field(questions.AddressStep, "postcode").fill("NW5 2AB")
    person.go_on("needs")
    person.choose(questions.NeedsStep, "needs", "talk")
    person.field(questions.NeedsStep, "own_words").fill("I feel low and would like someone to talk to.")
    person.go_on("language")
    person.choose(questions.LanguageStep, "interpreter", "no")
    person.go_on("equality")
    if route == "helper":  # the feelings questions are the person's own, so a helper is not asked them
        person.go_on("consent")
    else:
        person.go_on("wellbeing")
        person.choose(questions.WellbeingStep, "item1", "3")
        person.go_on("consent")
    person.field(questions.ConsentStep, "consent").check()
    person.go_on("check")
    answers = page.inner_text("main")
    assert person.name in answers and "07700 900982" in answers
    page.get_by_role("button", name=t("Send the referral"), exact=True).click()
    person.arrived("sent")
    reference = page.locator(".govuk-panel .hg-reference")
    # The reference reads left to right inside Arabic text, isolated from the words round it.
    assert reference.evaluate("e => [getComputedStyle(e).direction, getComputedStyle(e).unicodeBidi]") == [
        "ltr", "isolate"]
    assert REFERENCE_RE.fullmatch(reference.inner_text().strip())
    return reference.inner_text().strip()


def _urgent_help(person):
    page, t = person.page, person.t
    person.go_on("urgent")
    urgent = page.inner_text("main .hg-urgent--page")
    for number in ("999", "111", "116 123"):
        assert number in urgent
    assert page.locator("main .hg-urgent--page a[href='tel:116123']").is_visible()
    said = page.inner_text("#team-hours")
    if person.open:
        assert t("You can still send the referral. We will look at it today.") in said
    else:
        assert person.next_look() in said
    page.get_by_role("link", name=t("Continue with the referral"), exact=True).click()
    person.arrived("about")


def _helper(person):
    """The helper's own details, with a phone number that cannot be right at first."""
    f, step = person.field, questions.ReferrerStep
    f(step, "referrer_name").fill("Sam Worker")
    f(step, "referrer_organisation").fill("Fairfield Centre")
    f(step, "referrer_phone").fill("12345")
    f(step, "agreement").check()
    person.page.get_by_role("button", name=person.t("Continue"), exact=True).click()
    person.refused("referrer", person.t("Enter a phone number, like 07700 900 982 or 020 7946 0000"),
                   "referrer_phone", {"#referrer_name": "Sam Worker", "#referrer_phone": "12345"})
    f(step, "referrer_phone").fill("020 7946 0123")
    person.go_on("about")


def _about(person):
    f, step = person.field, questions.AboutStep
    f(step, "full_name").fill(person.name)
    if person.route == "self":  # a date of birth that makes them 11: pointed to children's services
        person.page.locator("#dob_day").fill("4")
        person.page.locator("#dob_month").fill("7")
        person.page.locator("#dob_year").fill("2015")
        person.page.get_by_role("button", name=person.t("Continue"), exact=True).click()
        message = person.t("This service is for people aged 16 and over. See below for where you can get help.")
        person.refused("about", message, "dob_day", {"#full_name": person.name, "#dob_year": "2015"})
        assert person.page.locator("#children-services").is_visible()
        person.page.locator("#dob_year").fill("1988")
    else:
        f(step, "age").fill("34")
    person.go_on("contact")


def _contact(person):
    f, step = person.field, questions.ContactStep
    f(step, "phone").fill("07700 900982")
    if person.route == "not_safe":  # the number typed, but no way of contacting them ticked
        person.page.get_by_role("button", name=person.t("Continue"), exact=True).click()
        person.refused("contact", person.t("Select at least one way we can contact you"), "methods-0",
                       {"#phone": "07700 900982"})
    person.choose(step, "methods", "phone")
    person.choose(step, "leave_message", "no")
    person.go_on("address")


def _stored(db, reference):
    db.session.rollback()  # the server's thread committed it: read afresh
    assert db.session.scalar(select(func.count()).select_from(Referral)) == 1
    return db.session.execute(select(Referral).where(Referral.reference == reference)).scalar_one()


ROUTES = ("self", "helper", "not_safe")


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("lang", ["en", "ar", "so"])
@pytest.mark.parametrize("route", ROUTES)
def test_a_resident_sends_a_referral_from_the_home_page(live_server, chromium, app, db, build, frozen_clock,
                                                         artifacts_dir, route, lang, width):
    app.config["WTF_CSRF_ENABLED"] = True  # the real forms, each with its token (restored after the test)
    # Phones out of office hours, desktops in them: the confirmation must say which.
    now = frozen_clock(OUT_OF_HOURS if width == 320 else IN_HOURS)
    build.service(name="Brookfield befriending", categories=("talk-befriending",))
    context = chromium.new_context(viewport={"width": width, "height": 800})
    label = f"journeys-{route}-{lang}-{width}"
    shots = artifacts_dir if lang != "en" and (width == 320 or route == "not_safe") else None
    person = Resident(app, context.new_page(), live_server, lang, route, NAMES[route], team_open=now is IN_HOURS,
                      shots=shots, label=label)
    started = time.perf_counter()
    try:
        reference = _walk(person, width)
        _confirmation_is_honest(person)
    finally:
        context.close()
    elapsed = time.perf_counter() - started

    referral = _stored(db, reference)
    assert referral.answers["full_name"] == person.name
    assert referral.route == WHO[route] and referral.language == lang
    assert referral.not_safe is (route == "not_safe")
    if route == "helper":
        assert (referral.answers["referrer_name"], referral.answers["referrer_phone"],
                referral.answers["referrer_organisation"]) == ("Sam Worker", "020 7946 0123", "Fairfield Centre")
    elif route == "self":  # the date of birth as corrected after the under-16 one
        assert [referral.answers[k] for k in ("dob_day", "dob_month", "dob_year")] == ["4", "7", "1988"]
    else:
        assert referral.answers["age"] == "34"
    assert referral.answers["phone"] == "07700 900982" and referral.contact_methods == ["phone"]
    alerts = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "duty_alert")).all()
    if route == "not_safe":
        assert len(alerts) == 1
        envelope = crypto.decrypt(alerts[0].envelope)
        assert envelope["to"] == app.config["SPA_DUTY_EMAIL"] and reference in envelope["subject"]
        assert person.name not in envelope["body"]
    else:
        assert alerts == []
    with open(artifacts_dir / "journeys-timing.txt", "a", encoding="utf-8") as timing:
        timing.write(f"{label}: {len(person.pages)} pages, {elapsed:.1f} s\n")


def _confirmation_is_honest(person):
    page, t = person.page, person.t
    main = page.inner_text("main")
    # The groups to try meanwhile are for the person who waits, not for whoever helped them.
    headings = page.locator("main h2.govuk-heading-m").all_inner_texts()
    assert t("While they wait" if person.route == "helper" else "While you wait") in headings
    assert "Brookfield befriending" in page.inner_text("main ul.hg-cards")
    if person.route != "helper":  # from their postcode: the distance is part of why, said once
        assert page.inner_text("main .hg-card__reason").count(person.distance(0.0)) == 1
    if person.route != "not_safe":
        assert page.locator("#team-hours").count() == 0
        voice = ("We will contact them in the way and at the times chosen, and send updates while they wait."
                 if person.route == "helper" else
                 "We will contact you in the way and at the times you chose, and send updates while you wait.")
        assert t(voice) in main
        return
    said = page.inner_text("#team-hours")
    assert t("You told us you are not safe right now.") in said
    if person.open:
        assert t("We will look at this referral today.") in said
        assert page.locator("#urgent-now").count() == 0
    else:
        assert person.next_look() in said and t("We will look at this referral today.") not in said
        for number in ("999", "111", "116 123"):
            assert number in page.inner_text("#urgent-now")


def _tab_to(page, selector, limit=200):
    """Press Tab until `selector` has focus, as someone using only the keyboard does."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement !== null && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def _keyboard_walk(person):
    """Tab, Space and Enter (and typing): no clicks. Each radio chosen is its question's first option."""
    page = person.page

    def press(selector, key):
        _tab_to(page, selector)
        page.keyboard.press(key)

    def type_into(selector, text):
        _tab_to(page, selector)
        page.keyboard.type(text)

    def go_on(name):
        # The page may come back to the same address (an error): wait for the new page, not only the URL.
        with page.expect_navigation():
            press(CONTINUE, "Enter")
        person.arrived(name)

    page.goto(person.base + "/")
    person.arrived("home")
    press("header a.hg-header__link--refer", "Enter")
    person.arrived("start")
    press("button.govuk-button--start", "Enter")
    person.arrived("who")
    press("input[name=route]", "Space")  # "I am referring myself"
    go_on("safety")
    press("input[name=safe]", "Space")  # "Yes"
    go_on("about")
    go_on("about")  # nothing typed: the summary takes focus, and its first link leads to the name
    assert page.evaluate("document.activeElement.closest('.govuk-error-summary') !== null")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == person.t("Enter your full name")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "full_name"
    page.keyboard.type(person.name)
    type_into("#age", "34")
    go_on("contact")
    press("#methods-0", "Space")  # phone call
    type_into("#phone", "07700 900982")
    press("input[name=leave_message]", "Space")  # "Yes"
    go_on("address")
    press("#no_fixed_address", "Space")
    press("input[name=has_gp]", "Space")
    go_on("needs")
    press("#needs-0", "Space")
    go_on("language")
    press("input[name=interpreter]", "Space")
    go_on("equality")
    go_on("wellbeing")
    go_on("consent")
    press("#consent", "Space")
    go_on("check")
    assert person.name in page.inner_text("main")
    press("main form button.govuk-button", "Enter")  # "Send the referral"
    person.arrived("sent")
    return page.locator(".govuk-panel .hg-reference").inner_text().strip()


def test_a_resident_sends_a_referral_with_the_keyboard_only(live_server, chromium, app, db, build, frozen_clock,
                                                           artifacts_dir):
    app.config["WTF_CSRF_ENABLED"] = True
    frozen_clock(IN_HOURS)
    context = chromium.new_context(viewport={"width": 320, "height": 800})
    person = Resident(app, context.new_page(), live_server, "en", "self", "Keyboard Person")
    try:
        reference = _keyboard_walk(person)
        person.page.screenshot(path=str(artifacts_dir / "journeys-keyboard-en-320-sent.png"), full_page=True)
    finally:
        context.close()
    referral = _stored(db, reference)
    assert (referral.answers["full_name"], referral.answers["age"], referral.answers["phone"]) == (
        "Keyboard Person", "34", "07700 900982")
    assert referral.route == "self" and not referral.not_safe

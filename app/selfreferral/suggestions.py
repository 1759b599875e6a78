"""While-you-wait suggestions: listings that fit the person, ranked by explicit rules.

1. Crisis services come first when the person said they are not safe.
2. Eligibility is a hard filter: age range, women-only and men-only groups, carers' groups.
3. The needs they chose, round-robin: each need gets its best listing before any gets a second.
4. Within a need: how much of that need it covers, their language, a community group they belong to
   (or none), distance from their postcode, then free first.
Only published listings taking new people are suggested.
"""
from dataclasses import dataclass, field
from datetime import date

from babel.lists import format_list
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape
from sqlalchemy import select

from app.core.templating import format_decimal1, format_locale
from app.directory import postcodes
from app.directory.listings import published_services_query
from app.directory.models import Category, Service, service_categories
from app.directory.taxonomy import DELIVERY_LANGUAGES
from app.extensions import db
from app.selfreferral import eligibility

CRISIS = "urgent-crisis"
# Groups for a community: shown to others only after everything else that fits.
COMMUNITY_LANGUAGES = {"bengali": "bn", "somali": "so"}
OLDER_FROM, YOUNG_UNTIL = 50, 25


@dataclass
class Person:
    """What the suggestions may use from a referral."""
    needs: list
    not_safe: bool = False
    age: int | None = None
    sex: str = ""  # "female", "male" or "" when not said
    language: str = "en"
    postcode: str = ""
    neighbourhood: str = ""
    lgbtq: bool = False
    communities: set = field(default_factory=set)


@dataclass
class Suggestion:
    service: Service
    need: Category | None
    distance: float | None

    def reason(self, person):
        """"Debt advice, in Bengali, 0.4 miles": the translated parts joined the locale's way."""
        parts = [escape(_(self.need.name))] if self.need is not None else []
        if person.language != "en" and person.language in self.service.languages:
            language = str(DELIVERY_LANGUAGES.get(person.language, person.language))
            parts.append(escape(_("in %(language)s", language=language)))
        if self.distance is not None and round(self.distance, 1) == 0:
            # Same postcode, or next door: "0.0 miles" reads as a mistake.
            parts.append(Markup('<bdi dir="ltr" class="hg-number">%s</bdi>') % _(
                "less than %(miles)s miles", miles=format_decimal1(0.1)))
        elif self.distance is not None:
            miles = format_decimal1(self.distance)
            # A decimal takes the "other" plural form (Arabic, Polish): 100 picks it in every catalogue.
            count = 1 if round(self.distance, 1) == 1.0 else 100
            parts.append(Markup('<bdi dir="ltr" class="hg-number">%s</bdi>') % ngettext(
                "%(miles)s mile", "%(miles)s miles", count, miles=miles))
        elif self.service.remote_only:
            parts.append(escape(_("online or by phone")))
        if not parts:
            return ""
        # The locale's list pattern with numbered slots; Markup.format escapes anything not already safe.
        return escape(list_pattern(len(parts))).format(*parts)


def list_pattern(count):
    """"{0}, {1}" in the page's locale's way. Babel repeats the last slot of a two-part list when a locale's
    unit lists have no two-part pattern (Arabic: "{0}، و{1}، و{1}"), so each slot must appear once."""
    slots = ["{" + str(i) + "}" for i in range(count)]
    try:
        pattern = format_list(slots, style="unit", locale=format_locale())
    except KeyError:  # a locale without unit lists (the pseudo-locale): English's
        pattern = format_list(slots, style="unit", locale="en")
    if any(pattern.count(slot) != 1 for slot in slots):
        pattern = format_list(slots, style="standard", locale=format_locale())
    return pattern if all(pattern.count(slot) == 1 for slot in slots) else ", ".join(slots)


def person_for(referral):
    answers = referral.answers or {}
    sex = answers.get("sex") if answers.get("sex") in ("female", "male") else ""
    if answers.get("gender_same") == "no":
        sex = ""  # their registered sex may not be who they are: no single-sex group is assumed
    language = referral.preferred_language or "en"
    return Person(needs=list(referral.needs or []) or ["talk"], not_safe=bool(referral.not_safe),
                  age=_age(answers, referral.created_at.date() if referral.created_at else date.today()),
                  sex=sex, language=language, postcode=answers.get("postcode") or "",
                  neighbourhood=referral.neighbourhood_code or "",
                  lgbtq=answers.get("orientation") in ("gay", "bisexual", "other")
                  or answers.get("gender_same") == "no",
                  communities=_communities(answers, language))


def _communities(answers, language):
    communities = {code for code, lang in COMMUNITY_LANGUAGES.items() if lang == language}
    ethnicity = str(answers.get("ethnicity") or "")
    if "bangladeshi" in ethnicity:
        communities.add("bengali")
    if ethnicity.startswith("black"):
        communities.add("black")
    return communities


def _age(answers, today):
    try:
        if answers.get("dob_year"):
            born = date(int(answers["dob_year"]), int(answers["dob_month"]), int(answers["dob_day"]))
            return eligibility.age_on(born, today)
        return int(answers["age"]) if answers.get("age") else None
    except (KeyError, TypeError, ValueError):
        return None


def eligible(service, person):
    """Hard rules: a listing that is not for them is never suggested."""
    audience = set(service.audience or [])
    if "carers" in audience and "carers" not in person.needs:
        return False
    return _age_fits(service, audience, person.age) and _sex_fits(audience, person.sex)


def _age_fits(service, audience, age):
    low = service.min_age if service.min_age is not None else (OLDER_FROM if "older_people" in audience else None)
    high = service.max_age if service.max_age is not None else (YOUNG_UNTIL if "young_adults" in audience else None)
    if low is None and high is None:
        return True
    return age is not None and (low is None or age >= low) and (high is None or age <= high)


def _sex_fits(audience, sex):
    return ("women" not in audience or sex == "female") and ("men" not in audience or sex == "male")


def suggest(referral, limit=6):
    """The suggestions for a referral, best first: [Suggestion]."""
    person = person_for(referral)
    return rank(person, _candidates(person), limit)


def rank(person, services, limit=6):
    services = [s for s in services if eligible(s, person)]
    place = _place(person)
    need_codes = _need_codes(person.needs)
    chosen = []
    if person.not_safe:
        crisis = [s for s in services if CRISIS in {c.code for c in s.categories}]
        chosen = [_suggestion(s, CRISIS, place) for s in sorted(crisis, key=lambda s: _order(s, person, place,
                                                                                             {CRISIS}))]
    queues = []
    for need in person.needs:
        codes = need_codes[need]
        matching = [s for s in services if codes & {c.code for c in s.categories}]
        queues.append((need, sorted(matching, key=lambda s, codes=codes: _order(s, person, place, codes))))
    return _round_robin(chosen, queues, place, need_codes, limit)


def _round_robin(chosen, queues, place, need_codes, limit):
    """Each need's best listing not yet chosen, in turn, until the limit or no listings are left."""
    seen = {s.service.id for s in chosen}
    while len(chosen) < limit and any(queue for _need, queue in queues):
        for need, queue in queues:
            while queue and queue[0].id in seen:
                queue.pop(0)
            if queue and len(chosen) < limit:
                service = queue.pop(0)
                seen.add(service.id)
                chosen.append(_suggestion(service, need, place, need_codes[need]))
    return chosen[:limit]


def _order(service, person, place, codes):
    own = {c.code for c in service.categories}
    covered = len(codes & own)
    in_language = person.language in (service.languages or [])
    # A community's group ranks after the general ones unless they belong to it.
    for_others = bool(_community(service) - person.communities - ({"lgbtq"} if person.lgbtq else set()))
    distance = _distance(service, place)
    far = distance if distance is not None else (0.0 if service.remote_only else 99.0)
    return (-covered, not in_language, for_others, round(far, 1), service.cost_type != "free", service.name)


def _community(service):
    return set(service.audience or []) & {"bengali", "somali", "black", "refugees", "veterans", "lgbtq"}


def _suggestion(service, need, place, codes=None):
    codes = codes or {need}
    categories = sorted(service.categories, key=lambda c: (c.code not in codes, c.position))
    return Suggestion(service=service, need=next((c for c in categories if c.code in codes), None),
                      distance=_distance(service, place))


def _need_codes(needs):
    """{need: the need's code and its sub-categories' codes}."""
    codes = {need: {need} for need in needs}
    for category in db.session.execute(select(Category).where(Category.code.in_(needs))).scalars():
        codes[category.code].update(child.code for child in category.children)
    return codes


def _candidates(person):
    codes = set().union(*_need_codes(person.needs + ([CRISIS] if person.not_safe else [])).values())
    return db.session.execute(
        published_services_query().where(
            Service.capacity_status == "taking",
            Service.id.in_(select(service_categories.c.service_id).join(
                Category, Category.id == service_categories.c.category_id).where(Category.code.in_(codes))))
    ).scalars().all()


def _place(person):
    if not person.postcode:
        return None
    try:
        return postcodes.lookup(person.postcode)
    except postcodes.PostcodeError:
        return None


def _distance(service, place):
    if place is None:
        return None
    points = [(loc.latitude, loc.longitude) for loc in service.locations if loc.latitude is not None]
    return min((postcodes.miles_between(place.latitude, place.longitude, lat, lon) for lat, lon in points),
               default=None)

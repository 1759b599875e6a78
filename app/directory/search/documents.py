"""The indexed form of a listing: the words it is found by and the values it is filtered on."""
import re

from app.directory import opening
from app.directory.search import vocabulary
from app.directory.search.schema import TRANSLATED_LANGUAGES


def plain(markdown_text):
    text = re.sub(r"[*_#>`\[\]()]", " ", markdown_text or "")
    return re.sub(r"\s+", " ", text).strip()


def document_for(service, today=None):
    """The indexed form of a service, or None when it must not be found."""
    if service.status != "published":
        return None
    codes, names = _category_codes_and_names(service)
    description = " ".join(filter(None, [plain(service.description), service.access_text, service.eligibility]))
    everything = " ".join([service.name, " ".join(names), description])
    organisation = service.organisation.name if service.organisation else ""
    translated = _translated_texts(service, list(dict.fromkeys(names)))
    return {
        "id": str(service.id),
        "name": service.name,
        "categories_text": " ".join(names),
        "description": description,
        "organisation": organisation,
        "alltext": everything,
        # Typos are corrected to words of names and categories, not of descriptions (which hold typos too).
        # Each word once: corrections weigh words by how many listings use them, not how often.
        "spell": " ".join(dict.fromkeys(" ".join([service.name, organisation, *names, *translated.values()]).split())),
        "categories": ",".join(sorted(codes)),
        **_filter_values(service, today),
        **translated,
        "name_sort": service.name.lower()[:100],
        "places": [(loc.latitude, loc.longitude) for loc in service.locations if loc.latitude is not None],
    }


def _category_codes_and_names(service):
    """A sub-category's listing is also found under its parent, and by its audiences' names."""
    from app.directory.taxonomy import AUDIENCES

    codes, names = set(), []
    for category in service.categories:
        codes.add(category.code)
        names.append(category.name)
        if category.parent:
            codes.add(category.parent.code)
            names.append(category.parent.name)
    names += [str(AUDIENCES[code]._args[0]) for code in service.audience if code in AUDIENCES]
    return codes, names


def _filter_values(service, today):
    neighbourhoods = sorted({loc.neighbourhood.code for loc in service.locations if loc.neighbourhood})
    schedules = service.schedules
    slots = opening.weekly_tokens(schedules, today) | opening.event_tokens(schedules, today) \
        | opening.dated_tokens(schedules, today)
    verified = service.last_verified_at
    return {
        "neighbourhood": ",".join(neighbourhoods) or "none",
        "cost": service.cost_type,
        "formats": ",".join(service.formats),
        "languages": ",".join(service.languages),
        "accessibility": ",".join(service.accessibility),
        "capacity": service.capacity_status,
        "days": ",".join(str(d) for d in sorted(opening.weekdays(service.schedules))),
        "open_slots": ",".join(sorted(slots)),
        "min_age": service.min_age if service.min_age is not None else 0,
        "max_age": service.max_age if service.max_age is not None else 150,
        "verified": int(verified.timestamp() // 86400) if verified else 0,
    }


def _translated_texts(service, english_names):
    """Per language: the listing's own translation, if any, and its category and audience names in that language."""
    texts = {code: [words] for code, words in vocabulary.translated_words(english_names).items() if words}
    for t in getattr(service, "translations", []):
        if t.language in TRANSLATED_LANGUAGES:
            texts.setdefault(t.language, []).extend([t.name, plain(t.description), t.access_text, t.eligibility])
    return {f"t_{code}": " ".join(filter(None, parts)) for code, parts in texts.items()}

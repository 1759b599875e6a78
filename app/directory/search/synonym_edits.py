"""Translators' changes to a language's synonym groups: the rules a group must keep, and saving one.

A group's words are what residents type (triggers) and the words listings use (expansions, most relevant first).
Each save is a new version in the database (synonym_store), an audit event, and counts from the next search."""
import re

from flask_babel import lazy_gettext as _l

from app.core import audit
from app.directory.search import synonym_store, synonyms
from app.directory.search.analysis import WORD
from app.extensions import db

MAX_TRIGGERS, MAX_EXPANSIONS, MAX_LENGTH, MAX_WORDS = 30, 12, 60, 4
_ALLOWED = re.compile(rf"^(?:{WORD.pattern}|[ '-])+$")


class EditError(Exception):
    """A group that breaks a rule: `errors` is {field: message}."""

    def __init__(self, errors):
        super().__init__("; ".join(str(m) for m in errors.values()))
        self.errors = errors


def split_words(text):
    """Phrases from a form field: one a line, or separated by commas or | (as in the shipped files)."""
    parts = re.split(r"[\n,|]", str(text or "")[:5000])
    seen, found = set(), []
    for part in parts:
        phrase = " ".join(part.split()).lower()
        if phrase and phrase not in seen:
            seen.add(phrase)
            found.append(phrase)
    return found


def _check_phrases(phrases, missing, maximum):
    if not phrases:
        return missing
    if len(phrases) > maximum:
        return _l("Enter up to %(max)s words or phrases", max=maximum)
    if any(len(p) > MAX_LENGTH for p in phrases):
        return _l("Each word or phrase must be %(max)s characters or fewer", max=MAX_LENGTH)
    if any(not _ALLOWED.match(p) or not synonyms.words(p) for p in phrases):
        return _l("Use only letters, numbers, spaces, hyphens and apostrophes")
    return None


def check(language, triggers_text, expansions_text, key=None):
    """(triggers, expansions) for a group, or raises EditError."""
    triggers, expansions = split_words(triggers_text), split_words(expansions_text)
    errors = {}
    problem = _check_phrases(triggers, _l("Enter the words residents type"), MAX_TRIGGERS)
    if problem is None:
        if any(len(synonyms.words(t)) > MAX_WORDS for t in triggers):
            problem = _l("Each phrase residents type must be %(max)s words or fewer", max=MAX_WORDS)
        for trigger in triggers:
            owner = synonym_store.trigger_owner(language, trigger, except_key=key)
            if problem is None and owner is not None:
                problem = _l("‘%(word)s’ is already in another group: %(group)s", word=trigger,
                             group=", ".join(owner.triggers[:3]))
    if problem is not None:
        errors["triggers"] = problem
    problem = _check_phrases(expansions, _l("Enter the words listings use"), MAX_EXPANSIONS)
    if problem is not None:
        errors["expansions"] = problem
    if errors:
        raise EditError(errors)
    return triggers, expansions


def find(language, key):
    """A group by its key, removed ones too (changing a removed group brings it back)."""
    return next((group for group in synonym_store.groups(language, with_removed=True) if group.key == key), None)


def _new_key(language, triggers):
    return "n" + synonyms.group_key(language, "|".join(triggers) + str(len(synonym_store.groups(language))))[:11]


def save(language, triggers_text, expansions_text, user, key=None):
    """Save a changed group (key given) or a new one; commits. Returns the group's key. Raises EditError,
    or synonym_store.ConcurrentEdit when someone saved it at the same moment."""
    group = find(language, key) if key else None
    triggers, expansions = check(language, triggers_text, expansions_text, key=key)
    key = key or _new_key(language, triggers)
    synonym_store.record(language, key, triggers, expansions, user,
                         shipped_line=group.shipped_line if group else "")
    audit.log("search_synonyms_changed", user, record=f"{language} {key}",
              detail=" | ".join(triggers)[:200] + " => " + ", ".join(expansions)[:200])
    db.session.commit()
    return key


def remove(language, group, user):
    synonym_store.record(language, group.key, group.triggers, group.expansions, user, removed=True,
                         shipped_line=group.shipped_line)
    audit.log("search_synonyms_removed", user, record=f"{language} {group.key}",
              detail=" | ".join(group.triggers)[:400])
    db.session.commit()

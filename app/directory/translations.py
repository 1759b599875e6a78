"""Listings in other languages: the words a provider or translator wrote, shown and searched."""
from flask_babel import get_locale
from sqlalchemy import select

from app.core.db import utcnow
from app.directory.models import ServiceTranslation
from app.extensions import db

FIELDS = ("name", "description", "access_text", "eligibility")


def current_language():
    from flask import current_app, has_request_context
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    locale = get_locale()
    return locale.language if locale else "en"


def is_stale(service, translation):
    """A translation written before the English words last changed may no longer say the same."""
    return bool(translation and service.text_changed_at and translation.updated_at
                and translation.updated_at < service.text_changed_at)


def translation_for(service, language=None):
    language = language or current_language()
    if language == "en":
        return None
    return next((t for t in getattr(service, "translations", []) if t.language == language), None)


class Localised:
    """A service's text in the page's language where a translation exists, else English, marked as such."""

    def __init__(self, service, language=None):
        self.language = language or current_language()
        self.translation = translation_for(service, self.language)
        self.service = service

    def text(self, field):
        value = getattr(self.translation, field, "") if self.translation else ""
        return value or getattr(self.service, field)

    def html(self, field="description"):
        """The description as HTML: stored when it was saved (app/directory/rendered.py), in the page's language
        where a translation has one."""
        from app.directory import rendered
        source = self.translation if self.translation and getattr(self.translation, field, "") else self.service
        return rendered.shown(getattr(source, f"{field}_html"), getattr(source, field))

    def lang(self, field):
        """The lang attribute for a field: English text on a non-English page says so."""
        if self.language == "en":
            return None
        return self.language if self.translation and getattr(self.translation, field, "") else "en"

    @property
    def untranslated(self):
        return self.language != "en" and self.translation is None

    @property
    def stale(self):
        return is_stale(self.service, self.translation)


def save(service, language, values, user):
    translation = db.session.execute(select(ServiceTranslation).where(
        ServiceTranslation.service_id == service.id, ServiceTranslation.language == language)).scalar_one_or_none()
    if translation is None:
        translation = ServiceTranslation(service=service, language=language)
        db.session.add(translation)
    for field in FIELDS:
        setattr(translation, field, (values.get(field) or "").strip())
    translation.updated_by_id = getattr(user, "id", None)
    translation.updated_at = utcnow()  # saved again unchanged still counts as checked against the English
    # Touch the listing so the after-commit sync re-indexes it with the new words.
    service.updated_at = utcnow()
    return translation

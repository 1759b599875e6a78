"""A provider's translation of their listing is checked like their English: it waits as a TranslationChange for
a directory manager, who approves it (it becomes the ServiceTranslation the public reads) or sends it back
with a reason (it stays the provider's draft to edit). An organisation a manager trusts skips the wait.

Translators and directory managers are the directory's own staff: what they save goes live at once, as before.
These functions add and flush; the view commits.
"""
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core import audit, mail
from app.core.db import utcnow
from app.directory import translations
from app.directory.models import Service, TranslationChange, statuses
from app.directory.models.statuses import ChangeStatus
from app.directory.moderation import REASON_MAX, ModerationError
from app.extensions import db
from app.i18n.catalogues import language_name

DRAFT_STATUSES = (ChangeStatus.PENDING.value, ChangeStatus.SENT_BACK.value)
LIVE_AT_ONCE_ROLES = ("translator", "manager", "admin")


def goes_live_at_once(user, service):
    return user.has_role(*LIVE_AT_ONCE_ROLES) or bool(service.organisation.translations_trusted)


def draft_for(service, language):
    """The provider's translation not live yet: waiting for a check, or sent back to them."""
    return db.session.execute(select(TranslationChange).where(
        TranslationChange.service_id == service.id, TranslationChange.language == language,
        TranslationChange.status.in_(DRAFT_STATUSES)).order_by(TranslationChange.id.desc())).scalars().first()


def drafts_by_language(service):
    rows = db.session.execute(select(TranslationChange).where(
        TranslationChange.service_id == service.id, TranslationChange.status.in_(DRAFT_STATUSES))
        .order_by(TranslationChange.id)).scalars()
    return {row.language: row for row in rows}


def working_values(service, language, user):
    """What the translate page shows: a provider's kept draft if there is one, else the live translation."""
    source = draft_for(service, language) if user.has_role("provider") else None
    source = source or translations.translation_for(service, language)
    return {field: getattr(source, field, "") or "" for field in translations.FIELDS}


def submit(service, language, values, user):
    """'applied' (live now) or 'pending' (waiting for a directory manager)."""
    if goes_live_at_once(user, service):
        translations.save(service, language, values, user)
        for earlier in _drafts(service, language):  # a trusted save replaces anything still waiting
            earlier.status = ChangeStatus.SUPERSEDED.value
        return "applied"
    for earlier in _drafts(service, language):
        earlier.status = ChangeStatus.SUPERSEDED.value
    change = TranslationChange(service=service, language=language, submitted_by_id=getattr(user, "id", None),
                               submitted_at=utcnow(), **{f: (values.get(f) or "").strip() for f in translations.FIELDS})
    db.session.add(change)
    db.session.flush()
    return "pending"


def _drafts(service, language):
    return db.session.execute(select(TranslationChange).where(
        TranslationChange.service_id == service.id, TranslationChange.language == language,
        TranslationChange.status.in_(DRAFT_STATUSES))).scalars().all()


def pending():
    return db.session.execute(select(TranslationChange).join(Service).where(
        TranslationChange.status == ChangeStatus.PENDING.value)
        .order_by(TranslationChange.submitted_at, TranslationChange.id)).scalars().all()


def approve(change, manager):
    """The translation goes live. It counts as written when the provider sent it: if the English changed since,
    it shows as needing updating."""
    statuses.check("change", change.status, ChangeStatus.APPLIED)
    values = {field: getattr(change, field) for field in translations.FIELDS}
    live = translations.save(change.service, change.language, values, change.submitted_by)
    live.updated_at = change.submitted_at or utcnow()
    change.status = ChangeStatus.APPLIED.value
    change.decided_by_id, change.decided_at = manager.id, utcnow()
    audit.log("translation_approve", manager, detail=f"translation_change={change.id} "
              f"service={change.service_id} language={change.language}")
    _tell(change, _l("Your translation of %(name)s is live", name=change.service.name),
          "directory/email/translation_approved.txt")
    return live


def send_back(change, manager, reason):
    statuses.check("change", change.status, ChangeStatus.SENT_BACK)
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(_l("Give a reason, so the provider knows what to change"))
    if len(reason) > REASON_MAX:
        raise ModerationError(_l("The reason must be %(max)s characters or fewer", max=f"{REASON_MAX:,}"))
    change.status, change.reason = ChangeStatus.SENT_BACK.value, reason
    change.decided_by_id, change.decided_at = manager.id, utcnow()
    audit.log("translation_send_back", manager, detail=f"translation_change={change.id} "
              f"service={change.service_id} language={change.language}")
    _tell(change, _l("Your translation of %(name)s was sent back", name=change.service.name),
          "directory/email/translation_sent_back.txt")


def _tell(change, subject, template):
    if change.submitted_by is None:
        return
    with force_locale("en"):  # the e-mail's language, as the provider e-mails are
        name = language_name(change.language)
    mail.queue_email(change.submitted_by.email, subject, template, language="en", change=change,
                     service=change.service, language_name=name)


def set_trusted(organisation, manager, trusted):
    """Grant or take away 'translations go live at once' for an organisation. Returns whether it changed."""
    trusted = bool(trusted)
    if bool(organisation.translations_trusted) == trusted:
        return False
    organisation.translations_trusted = trusted
    audit.log("organisation_trust" if trusted else "organisation_untrust", manager,
              record=organisation.slug[:60], detail=f"organisation={organisation.id}")
    return True

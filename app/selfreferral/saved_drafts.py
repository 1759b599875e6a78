"""Save and come back later: a draft is kept for REFERRAL_SAVED_DRAFT_DAYS and reached again only through a one-use
link e-mailed to the person (or their helper). Saving detaches it from this browser, so the next person at a
shared computer cannot continue it. Only a hash of the link's token is stored; the token itself is never logged."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update
from werkzeug.datastructures import MultiDict
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.accounts.links import external_url
from app.core import mail
from app.core.clock import to_local
from app.core.db import utcnow
from app.core.forms import EmailAddress, SiteForm
from app.extensions import db
from app.selfreferral import journey
from app.selfreferral.models import ReferralDraft, SavedDraftLink

TYPED = "_typed"  # answers[TYPED][step]: a page's fields exactly as typed, when they could not all be accepted
LEFT_AT = "_left_at"  # the page they were on when they saved
MAX_TYPED = 5000  # characters kept of one typed value (the longest question allows 3,000)


class SaveForm(SiteForm):
    email = StringField(_l("Email address"), validators=[
        DataRequired(message=_l("Enter an email address so we can send you the link")),
        Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        EmailAddress(message=_l("Enter an email address in the correct format, like name@example.com"))])

    def __init__(self, *args, helping=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.email.description = (
            _l("The link comes to you, as the person filling in the form. We only use this address to send it.")
            if helping else _l("We only use this address to send you the link."))


def days():
    return current_app.config["REFERRAL_SAVED_DRAFT_DAYS"]


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


# Keeping what is on a page

def keep_page(draft, step, form, formdata):
    """Keep a question page as it is, answered or not. A page that validates is saved as if Continue was pressed;
    otherwise the answers that validate are kept, the page stays not done, and every field is kept as typed so
    that it is shown again exactly so."""
    answers = draft.answers
    if form.validate():
        answers = journey.save_step(draft, step, form)
    else:
        for name, field in form._fields.items():
            if name != "csrf_token" and not field.errors:
                answers[name] = field.data
        answers["_completed"] = [name for name in answers.get("_completed", []) if name != step.name]
        answers.setdefault(TYPED, {})[step.name] = {
            name: [value[:MAX_TYPED] for value in formdata.getlist(name)]
            for name in form._fields if name != "csrf_token"}
    answers[LEFT_AT] = step.name
    draft.answers = answers


def typed_values(answers, step_name):
    """The page's fields as typed when it was saved for later (a MultiDict for the form), or None."""
    typed = (answers.get(TYPED) or {}).get(step_name)
    if not isinstance(typed, dict):
        return None
    return MultiDict([(name, value) for name, values in typed.items() for value in values])


def suggested_email(answers):
    """The address to offer: a helper's own (the link is for whoever is filling in the form), else the person's."""
    return (answers.get("referrer_email") if journey.helping(answers) else answers.get("email")) or ""


# Saving, and the link

def save(draft, email):
    """Create the one-use link, queue its e-mail in the interface language, and detach the draft from this browser.
    Returns when the link expires. The caller commits."""
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(days=days())
    db.session.add(SavedDraftLink(token_hash=hash_token(token), draft_id=draft.id, expires_at=expires_at))
    answers, language = draft.answers, str(get_locale() or "en")
    # The link opens in the language the e-mail is written in, on whichever device it is opened.
    mail.queue_email(email, _l("Continue your referral"), "selfreferral/email/saved_draft.txt",
                     language=language, kind="referral_saved_draft",
                     link=external_url("selfreferral.resume", token=token, lang=language),
                     expires_at=to_local(expires_at),
                     helping=journey.helping(answers))
    session.pop(journey.DRAFT_KEY, None)
    return expires_at


def link_status(token):
    """'ok', 'used', 'expired' or 'unknown' for the token in a link."""
    link = _link(token)
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    if link.expires_at <= utcnow() or link.draft_id is None:
        return "expired"
    return "ok"


def _link(token):
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        return None
    return db.session.get(SavedDraftLink, hash_token(token))


def resume(token):
    """Use the link: its draft, under a new id, becomes this browser's draft. Returns (draft, status); the draft is
    None unless status is 'ok'. A second use, even at the same moment, finds the link used. The caller commits."""
    status = link_status(token)
    if status != "ok":
        return None, status
    link = _link(token)
    draft_id = link.draft_id
    # Claimed with one conditional UPDATE: of two requests at once, only one changes the row.
    now = utcnow()
    claimed = db.session.execute(
        update(SavedDraftLink)
        .where(SavedDraftLink.token_hash == link.token_hash, SavedDraftLink.used_at.is_(None),
               SavedDraftLink.expires_at > now)
        .values(used_at=now, draft_id=None).execution_options(synchronize_session=False)).rowcount == 1
    if not claimed:  # used (or expired) a moment ago, by another request
        db.session.expire(link)
        return None, link_status(token)
    saved = db.session.get(ReferralDraft, draft_id)
    if saved is None:  # purged a moment ago
        return None, "expired"
    previous = journey.current_draft()
    if previous is not None and previous.id != saved.id:
        db.session.delete(previous)  # whatever this browser had: the link's draft takes its place
    # A new id: any copy of the first browser's old session cookie opens nothing.
    answers, journey_token, created_at = saved.answers, saved.journey_token, saved.created_at
    db.session.delete(saved)
    db.session.flush()
    draft = ReferralDraft(id=secrets.token_urlsafe(32), journey_token=journey_token, created_at=created_at)
    draft.answers = answers
    db.session.add(draft)
    session[journey.DRAFT_KEY] = draft.id
    return draft, "ok"


def resume_step(answers):
    """Where a resumed draft opens: the page they left, if it still applies, else the first one not done."""
    left = journey.get_step(answers.get(LEFT_AT) or "")
    if left is not None and left.applies_to(answers) and left.name not in answers.get("_completed", []):
        return left
    return journey.first_unanswered(answers)


# Retention

def purge(now=None):
    """Delete drafts idle past REFERRAL_DRAFT_IDLE_MINUTES, except those saved behind a link still valid, and the
    saved drafts and links whose time is up. Returns (idle drafts, expired saved drafts). The caller commits."""
    now = now or utcnow()
    idle = now - timedelta(minutes=current_app.config["REFERRAL_DRAFT_IDLE_MINUTES"])
    waiting = exists().where(SavedDraftLink.draft_id == ReferralDraft.id, SavedDraftLink.used_at.is_(None))
    live = exists().where(SavedDraftLink.draft_id == ReferralDraft.id, SavedDraftLink.used_at.is_(None),
                          SavedDraftLink.expires_at > now)
    drafts = db.session.execute(select(ReferralDraft).where(
        ReferralDraft.updated_at < idle, ~live)).scalars().all()
    expired_saved = db.session.execute(select(ReferralDraft.id).where(
        ReferralDraft.updated_at < idle, waiting, ~live)).scalars().all()
    links = db.session.execute(select(SavedDraftLink).where(SavedDraftLink.expires_at <= now)).scalars().all()
    for link in links:
        db.session.delete(link)
    db.session.flush()
    for draft in drafts:
        db.session.delete(draft)
    return len(drafts) - len(expired_saved), len(expired_saved)

"""The self-referral journey: which questions apply, the server-side draft, and the one submit."""
import secrets
import statistics
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core import mail, validation
from app.core.db import utcnow
from app.core.templating import ltr
from app.directory.listings import neighbourhood_for_postcode
from app.extensions import db
from app.selfreferral import duty, questions
from app.selfreferral.models import Referral, ReferralDraft

DRAFT_KEY = "referral_draft"
DONE_KEY = "referral_done"
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read out on the phone


@dataclass(frozen=True)
class Step:
    name: str
    form: type
    applies: object = None  # answers -> bool

    def applies_to(self, answers):
        return self.applies is None or self.applies(answers)


def helping(answers):
    return answers.get("route") in ("on_behalf", "worker")


# Who is filling it in comes first: every later question is put to the right person ("you" or "they").
STEPS = [
    Step("who", questions.WhoStep),
    Step("safety", questions.SafetyStep),
    Step("referrer", questions.ReferrerStep, helping),
    Step("about", questions.AboutStep),
    Step("contact", questions.ContactStep),
    Step("address", questions.AddressStep),
    Step("needs", questions.NeedsStep),
    Step("language", questions.LanguageStep),
    Step("equality", questions.EqualityStep),
    # First-person statements about how someone feels: only the person can answer them. Counted before
    # "who" is answered, so the step counter does not change for someone referring themselves.
    Step("wellbeing", questions.WellbeingStep, lambda a: a.get("route") in (None, "self")),
    Step("consent", questions.ConsentStep),
]
STEP_NAMES = [step.name for step in STEPS]


def get_step(name):
    return next((step for step in STEPS if step.name == name), None)


def applicable_steps(answers):
    return [step for step in STEPS if step.applies_to(answers)]


def next_step(name, answers):
    steps = applicable_steps(answers)
    names = [s.name for s in steps]
    if name not in names:
        return steps[0]
    index = names.index(name)
    return steps[index + 1] if index + 1 < len(steps) else None


def previous_step(name, answers):
    steps = applicable_steps(answers)
    names = [s.name for s in steps]
    if name in names and names.index(name) > 0:
        return steps[names.index(name) - 1]
    return None


def first_unanswered(answers):
    done = set(answers.get("_completed", []))
    return next((step for step in applicable_steps(answers) if step.name not in done), None)


# Drafts (the views commit: one transaction per request)

def idle_minutes():
    return current_app.config["REFERRAL_DRAFT_IDLE_MINUTES"]


def _stale(draft):
    return draft.updated_at < utcnow() - timedelta(minutes=idle_minutes())


def load_draft(touch=False):
    """(draft, expired): this browser's draft, or None and whether the one it had timed out. A timed-out draft
    is deleted and forgotten by the session, so the next person at a shared computer cannot reach it."""
    draft_id = session.get(DRAFT_KEY)
    if not isinstance(draft_id, str):
        return None, False
    draft = db.session.get(ReferralDraft, draft_id)
    if draft is not None and not _stale(draft):
        if touch:
            # Reading a question counts as activity, not only answering it. Written at the commit
            # (record_activity), so a page that cannot save this time is still shown.
            db.session.info["touched_draft"] = draft
        return draft, False
    if draft is not None:
        db.session.delete(draft)
    session.pop(DRAFT_KEY, None)
    return None, True


def record_activity():
    """Note the last-activity time of a draft this request read with load_draft(touch=True)."""
    draft = db.session.info.pop("touched_draft", None)
    if draft is not None and draft in db.session:
        draft.updated_at = utcnow()


def current_draft():
    """The draft this browser is filling in, or None."""
    return load_draft()[0]


def hurried_draft(draft_id):
    """The complete draft being sent, if that is sooner after Start than a person could have filled it in.
    Only reads: a stale draft is left for submit() to deal with."""
    draft = db.session.get(ReferralDraft, draft_id) if isinstance(draft_id, str) else None
    if draft is None or _stale(draft) or first_unanswered(draft.answers) is not None:
        return None
    soonest = draft.created_at + timedelta(seconds=current_app.config.get("REFERRAL_MIN_SECONDS", 0))
    return draft if utcnow() < soonest else None


def start_draft():
    """A new, empty draft. Whatever this browser had before is deleted: on a shared computer it may be
    someone else's, and pressing Start must never show it."""
    previous = current_draft()
    if previous is not None:
        db.session.delete(previous)
    draft = ReferralDraft(id=secrets.token_urlsafe(32), journey_token=secrets.token_urlsafe(32))
    draft.answers = {}
    db.session.add(draft)
    session[DRAFT_KEY] = draft.id
    return draft


def save_step(draft, step, form):
    answers = draft.answers
    answers.update(form.answers())
    completed = [name for name in answers.get("_completed", []) if name != step.name]
    if not getattr(form, "signpost", False):  # no link to the borough: the address is not done
        completed.append(step.name)
    answers["_completed"] = completed
    (answers.get("_typed") or {}).pop(step.name, None)  # kept as typed when saved for later; answered now
    if step.name == "safety":
        answers["_not_safe"] = form.safe.data == "no"
    draft.answers = answers
    return answers


# Submitting

class SubmitError(Exception):
    pass


def new_reference():
    pick = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"HG-{pick[:4]}-{pick[4:]}"


def submit(draft_id, journey_token):
    """Create the referral once, durably, and queue its e-mail copy. Returns (referral, created)."""
    existing = _referral_for_journey(journey_token)
    if existing is not None:
        return existing, False
    draft = db.session.get(ReferralDraft, draft_id) if draft_id else None
    if draft is not None and _stale(draft):
        draft = None  # the view's current_draft() deletes it and shows the expired page
    # Compared as bytes: compare_digest raises TypeError on a str with non-ASCII characters.
    if draft is None or not secrets.compare_digest(draft.journey_token.encode(), (journey_token or "").encode()):
        # A parallel submit of the same journey may have just finished and removed the draft.
        db.session.rollback()
        existing = _referral_for_journey(journey_token)
        if existing is not None:
            return existing, False
        raise SubmitError("no draft for this journey")
    if first_unanswered(draft.answers) is not None:
        raise SubmitError("unanswered questions")
    return _store(draft, journey_token)


def _store(draft, journey_token):
    """Turn the draft into the referral (retrying a reference that is already taken) and commit."""
    draft_id, answers = draft.id, draft.answers
    columns = _referral_columns(answers)
    stored = {k: v for k, v in answers.items() if not k.startswith("_")}
    if answers.get("route") == "self":
        stored["swemwbs_score"] = questions.swemwbs_score(answers)
    else:  # answered before changing who fills it in: a helper's view of someone's feelings is not a score
        stored = {k: v for k, v in stored.items() if not (k.startswith("item") and k[4:].isdigit())}
        stored["swemwbs_score"] = None
    wait = typical_wait_days()  # queried before anything is added, so no early flush can collide
    for _attempt in range(5):
        # created_at set here, not at flush: the e-mailed copy, rendered before the flush, gives the date.
        referral = Referral(reference=new_reference(), journey_token=journey_token, created_at=utcnow(), **columns)
        referral.answers = stored
        db.session.add(referral)
        db.session.delete(draft)
        try:
            with db.session.no_autoflush:
                _queue_mail(referral, answers, wait)
            # Committed here rather than by the view: the referral is stored before the person is told it arrived.
            db.session.commit()
            return referral, True
        except IntegrityError:
            db.session.rollback()
            # Either the same journey was submitted in parallel, or the reference collided.
            existing = _referral_for_journey(journey_token)
            if existing is not None:
                return existing, False
            draft = db.session.get(ReferralDraft, draft_id)
            if draft is None:
                raise SubmitError("draft vanished") from None
    raise SubmitError("could not allocate a reference")


def _referral_for_journey(journey_token):
    return db.session.execute(select(Referral).where(Referral.journey_token == journey_token)).scalar_one_or_none()


def _referral_columns(answers):
    """The plain columns the inbox filters and reports count: codes only, nothing personal."""
    postcode = validation.postcode(answers.get("postcode"))
    hood = neighbourhood_for_postcode(postcode) if postcode and not answers.get("no_fixed_address") else None
    return dict(route=answers.get("route", "self"), not_safe=bool(answers.get("_not_safe")),
                neighbourhood_code=hood.code if hood else "", needs=answers.get("needs") or [],
                language=str(get_locale() or "en"), preferred_language=answers.get("preferred_language") or "en",
                contact_methods=answers.get("methods") or [])


def _queue_mail(referral, answers, wait):
    """The person's copy, the helper's reference, and the duty alert for someone not safe now."""
    if answers.get("email") and "email" in (answers.get("methods") or []):
        _queue_copy(referral, answers, wait)
    if answers.get("route", "self") != "self" and answers.get("referrer_email"):
        _queue_helper_copy(referral, answers)
    if referral.not_safe:
        duty.alert(referral)


def _queue_copy(referral, answers, wait):
    # In the language they filled the form in.
    mail.queue_email(answers["email"], _l("Your referral %(reference)s has arrived", reference=referral.reference),
                     "selfreferral/email/confirmation.txt", language=referral.language, kind="referral_confirmation",
                     referral=referral, answers=answers, wait=wait, team=duty.availability())


def _queue_helper_copy(referral, answers):
    # The helper gets the reference only: what the person told us is not theirs to receive by e-mail.
    mail.queue_email(answers["referrer_email"], _l("Referral %(reference)s has arrived", reference=referral.reference),
                     "selfreferral/email/helper_reference.txt", language=referral.language, kind="referral_helper",
                     referral=referral)


def typical_wait_days(now=None):
    """Median days from referral to first contact over the last 90 days, or None with too few to say."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Referral.created_at, Referral.first_contact_at)
        .where(Referral.first_contact_at.is_not(None), Referral.created_at >= now - timedelta(days=90))
    ).all()
    waits = [(contact - created).total_seconds() / 86400 for created, contact in rows]
    if len(waits) < 5:
        return None
    return max(1, round(statistics.median(waits)))


def while_you_wait(referral, limit=6):
    """(the person as the suggestions see them, [Suggestion]): the one ranking (app/selfreferral/suggestions.py)."""
    from app.selfreferral import suggestions
    return suggestions.person_for(referral), suggestions.suggest(referral, limit)


def referral_by_reference(reference):
    if not isinstance(reference, str) or len(reference) > 12:
        return None
    return db.session.execute(select(Referral).where(Referral.reference == reference)).scalar_one_or_none()


def _display(field):
    from flask_babel import gettext as _
    if field.type in ("RadioField", "SelectField"):
        return next((str(choice.label) for choice in field.iter_choices() if choice.selected), "")
    if field.type == "SelectMultipleField":
        return ", ".join(str(choice.label) for choice in field.iter_choices() if choice.selected)
    if field.type == "BooleanField":
        return _("Yes") if field.data else _("No")
    return field.data or ""


def summary_sections(answers):
    """[{title, step, rows: [(label, value)]}] for the check-your-answers page."""
    data = {k: v for k, v in answers.items() if not k.startswith("_")}
    sections = []
    for step in applicable_steps(answers):
        form = step.form(formdata=None, data=data, meta={"csrf": False}, route=answers.get("route"), **(
            {"needs_letter_address": False} if step.name == "address" else {}))
        sections.append({"title": str(form.title), "step": step.name, "rows": _summary_rows(form, data)})
    return sections


# Answers that must stay left to right in right-to-left pages.
LTR_ANSWERS = {"phone", "email", "postcode", "referrer_phone", "referrer_email", "not_before", "not_after"}


def _summary_rows(form, data):
    from flask_babel import gettext as _
    rows = []
    for name, field in form._fields.items():
        if name in ("dob_month", "dob_year") or (name == "connection" and not data.get("connection")):
            continue
        if name == "dob_day":  # day, month and year read as one date
            parts = [data.get("dob_day"), data.get("dob_month"), data.get("dob_year")]
            rows.append((_("Date of birth"), ltr("/".join(p for p in parts if p)) if any(parts) else ""))
            continue
        value = _display(field)
        rows.append((str(field.label.text), ltr(value) if name in LTR_ANSWERS else value))
    return rows

"""The single point of access: the inbox, triage, contact, updates, sharing and the audit trail."""
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, case, func, or_, select

from app.core import audit as core_audit
from app.core import mail
from app.core.audit import AuditEvent
from app.core.db import code_list_contains, utcnow
from app.extensions import db
from app.selfreferral.models import (
    COLOURS,
    OUTCOMES,
    STATUSES,
    ContactAttempt,
    PartnerAccess,
    Referral,
    ReferralShare,
    ReferralStatus,
    TransitionError,
    WaitingUpdate,
)
from app.selfreferral.waiting_links import search_links

CONTACT_RESULTS = ("reached", "no_answer", "left_message", "wrong_number", "declined")
CONTACT_METHODS = ("phone", "text", "email", "letter", "trusted", "in_person")


class SpaError(ValueError):
    """A refused action. `field` names the form field it is about (the error summary links to it)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class ContactWarning(SpaError):
    """A contact that goes against what the person asked for: logged only once staff confirm they know."""

    def __init__(self, warnings):
        super().__init__(" ".join(warnings), field="anyway")
        self.warnings = warnings


def refuse_if_closed(referral):
    if referral.status == ReferralStatus.closed:
        raise SpaError(_("This referral is closed. Reopen it to triage, contact, assign or share it."))


ActionError = (SpaError, TransitionError)  # what an action can refuse with: a message for the person


def audit(user, action, referral=None, detail=""):
    if referral is None:
        return core_audit.log(action, user, detail=detail)
    return core_audit.log(action, user, record=referral.reference, detail=detail, referral_id=referral.id)


def audit_denied(user, reference, referral=None):
    """A referral looked up and refused: one that does not exist, or one not shared with this partner."""
    detail = "not shared" if referral is not None else "no such referral"
    core_audit.log("referral_denied", user, record=referral.reference if referral else reference[:20],
                   detail=detail, referral_id=referral.id if referral else None)


def overdue_cutoff(now=None):
    return (now or utcnow()) - timedelta(days=current_app.config["REFERRAL_OVERDUE_DAYS"])


def open_retention_cutoff(now=None, ahead_days=0):
    """Open referrals whose last activity is before this are due for deletion (`ahead_days` from now)."""
    months = current_app.config["OPEN_REFERRAL_RETENTION_MONTHS"]
    return (now or utcnow()) + timedelta(days=ahead_days) - timedelta(days=round(30.44 * months))


# Staff actions that count as activity. Not updated_at: key rotation rewrites every row.
ACTIVITY_ACTIONS = ("triage", "assign", "contact", "close", "reopen", "waiting_update", "waiting_update_done", "share")


def idle_open(cutoff):
    """Open referrals with no activity since `cutoff`: no staff action, contact attempt or update."""
    return (Referral.status != "closed", Referral.created_at < cutoff,
            ~select(AuditEvent.id).where(AuditEvent.referral_id == Referral.id, AuditEvent.at >= cutoff,
                                         AuditEvent.action.in_(ACTIVITY_ACTIONS)).exists(),
            ~select(ContactAttempt.id).where(ContactAttempt.referral_id == Referral.id,
                                             ContactAttempt.at >= cutoff).exists(),
            ~select(WaitingUpdate.id).where(WaitingUpdate.referral_id == Referral.id,
                                            WaitingUpdate.at >= cutoff).exists())


def expiring_cutoff(now=None):
    return open_retention_cutoff(now, current_app.config["OPEN_REFERRAL_WARNING_DAYS"])


def is_overdue(referral, now=None):
    if referral.status == "closed":
        return False
    last = referral.last_contact_at or referral.created_at
    return last < overdue_cutoff(now)


@dataclass
class InboxFilters:
    status: str | None = None
    colour: str | None = None
    neighbourhood: str | None = None
    need: str | None = None
    language: str | None = None
    overdue: bool = False
    waited_days: int | None = None
    expiring: bool = False
    search: str = ""

    @classmethod
    def from_args(cls, args):
        from app.directory.taxonomy import DELIVERY_LANGUAGES
        from app.selfreferral.questions import NEED_CHOICES
        hoods = {h["code"] for h in current_app.config["NEIGHBOURHOODS"]} | {"none"}

        def pick(name, allowed):
            value = args.get(name)
            return value if isinstance(value, str) and value in allowed else None

        waited = args.get("waited", "")
        return cls(status=pick("status", set(STATUSES) | {"open"}), colour=pick("colour", set(COLOURS) | {"none"}),
                   neighbourhood=pick("neighbourhood", hoods), need=pick("need", {c for c, _n in NEED_CHOICES}),
                   language=pick("language", set(DELIVERY_LANGUAGES) | {"other"}), overdue=args.get("overdue") == "yes",
                   waited_days=int(waited) if waited in {"7", "14", "28", "56"} else None,
                   expiring=args.get("expiring") == "yes", search=str(args.get("q", ""))[:100].strip())


def _filtered(filters, now=None):
    now = now or utcnow()
    query = select(Referral).where(*_status_and_colour(filters))
    if filters.neighbourhood:
        query = query.where(Referral.neighbourhood_code == ("" if filters.neighbourhood == "none"
                                                            else filters.neighbourhood))
    if filters.need:
        query = query.where(code_list_contains(Referral.needs, filters.need))
    if filters.language:
        query = query.where(Referral.preferred_language == filters.language)
    if filters.overdue:
        query = query.where(Referral.status != "closed",
                            func.coalesce(Referral.last_contact_at, Referral.created_at) < overdue_cutoff(now))
    if filters.expiring:
        query = query.where(*idle_open(expiring_cutoff(now)))
    if filters.waited_days:
        query = query.where(Referral.status != "closed", Referral.first_contact_at.is_(None),
                            Referral.created_at < now - timedelta(days=filters.waited_days))
    return query


def _status_and_colour(filters):
    conditions = []
    if filters.status == "open":
        conditions.append(Referral.status != "closed")
    elif filters.status:
        conditions.append(Referral.status == filters.status)
    if filters.colour == "none":
        conditions.append(Referral.colour.is_(None))
    elif filters.colour:
        conditions.append(Referral.colour == filters.colour)
    return conditions


def inbox(filters, page=1, per_page=50, now=None):
    """Referrals in priority order: not safe and new first, then red, amber, green, untriaged, oldest first."""
    priority = case((and_(Referral.not_safe.is_(True), Referral.status == "new"), 0),
                    (Referral.colour == "red", 1), (Referral.colour.is_(None), 2),
                    (Referral.colour == "amber", 3), else_=4)
    closed_last = case((Referral.status == "closed", 1), else_=0)
    query = _filtered(filters, now).order_by(closed_last, priority, Referral.created_at, Referral.id)
    if filters.search:
        from app.selfreferral import inbox_search
        return inbox_search.search(query, filters.search, page=page, per_page=per_page)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def counts(now=None):
    """Headline counts for the inbox, unaffected by the filters."""
    now = now or utcnow()
    open_ = Referral.status != "closed"
    row = db.session.execute(select(
        func.count().filter(open_),
        func.count().filter(open_, Referral.status == "new"),
        func.count().filter(open_, Referral.not_safe.is_(True), Referral.status == "new"),
        func.count().filter(open_, Referral.colour == "red"),
        func.count().filter(open_, func.coalesce(Referral.last_contact_at, Referral.created_at) < overdue_cutoff(now)),
    )).one()
    expiring = db.session.execute(select(func.count()).select_from(Referral)
                                  .where(*idle_open(expiring_cutoff(now)))).scalar_one()
    return {"open": row[0], "new": row[1], "not_safe": row[2], "red": row[3], "overdue": row[4],
            "expiring": expiring}


def urgent_untriaged(limit=10):
    """Not-safe referrals nobody has triaged yet, oldest first: the inbox flags them above everything."""
    return db.session.execute(select(Referral).where(Referral.not_safe.is_(True), Referral.status == "new")
                              .order_by(Referral.created_at, Referral.id).limit(limit)).scalars().all()


def get_referral(reference):
    if not isinstance(reference, str) or len(reference) > 12:
        return None
    return db.session.execute(select(Referral).where(Referral.reference == reference)).scalar_one_or_none()


def partner_organisation_ids(user):
    """The organisations whose shared referrals this user may read: their partner access, never the organisations
    whose listings they look after (User.organisations), which a directory manager can give."""
    return set(db.session.execute(select(PartnerAccess.organisation_id).where(PartnerAccess.user_id == user.id))
               .scalars())


def visible_to(user, referral):
    """SPA staff see every referral; partner staff only those shared with an organisation they have access to.

    SPA staff see the whole inbox whatever team a referral is assigned to: the SPA is one duty team that triages
    and routes everything, and `team` records where a referral went, not who may read it.
    """
    if user.has_role("spa"):
        return True
    if user.has_role("partner"):
        org_ids = partner_organisation_ids(user)
        return any(share.organisation_id in org_ids for share in referral.shares)
    return False


def shared_with(user):
    org_ids = partner_organisation_ids(user) if user.has_role("partner") else set()
    if not org_ids:
        return []
    return db.session.execute(
        select(Referral).join(ReferralShare).where(ReferralShare.organisation_id.in_(org_ids))
        .order_by(Referral.created_at.desc())).scalars().unique().all()


def triage(referral, user, colour, reason):
    refuse_if_closed(referral)
    if colour not in COLOURS:
        raise SpaError(_("Choose red, amber or green"), field="colour")
    if not (reason or "").strip():
        raise SpaError(_("Give a reason for the triage colour"), field="reason")
    referral.colour, referral.triage_reason = colour, reason.strip()[:2000]
    if referral.status == ReferralStatus.new:  # triaging again later keeps its status
        referral.move_to(ReferralStatus.triaged)
    audit(user, "triage", referral, f"colour={colour}")


def assign(referral, user, team):
    refuse_if_closed(referral)
    if team not in current_app.config["SPA_TEAMS"]:
        raise SpaError(_("Choose a team from the list"), field="team")
    referral.team = team
    if referral.can_move_to(ReferralStatus.allocated):
        referral.move_to(ReferralStatus.allocated)
    audit(user, "assign", referral, f"team={team}")


def log_contact(referral, user, method, result, note="", now=None, confirmed=False):
    """Record a contact attempt. One that goes against their wishes (no calls, outside their days or times) raises
    ContactWarning unless `confirmed`: staff tick "I know, log it anyway"."""
    from app.selfreferral import contact_wishes
    refuse_if_closed(referral)
    if method not in CONTACT_METHODS:
        raise SpaError(_("Choose how you tried to make contact"), field="method")
    if result not in CONTACT_RESULTS:
        raise SpaError(_("Choose what happened"), field="result")
    now = now or utcnow()
    against = contact_wishes.warnings(referral, method, now)
    if against and not confirmed:
        raise ContactWarning(against)
    attempt = ContactAttempt(referral=referral, method=method, result=result, at=now, by_user_id=user.id)
    attempt.note = (note or "").strip()[:2000]
    db.session.add(attempt)
    if result == "reached":
        referral.first_contact_at = referral.first_contact_at or now
        referral.last_contact_at = now
        if referral.can_move_to(ReferralStatus.contacted):
            referral.move_to(ReferralStatus.contacted)
    audit(user, "contact", referral, f"method={method} result={result}" + (" against_wishes=yes" if against else ""))
    return attempt


def attempt_days(referral):
    """The different days (borough time) on which contact was tried and they were not reached."""
    from app.core.clock import to_local
    return {to_local(a.at).date() for a in referral.contact_attempts if a.result != "reached" and a.at}


def close(referral, user, outcome, detail=""):
    if outcome not in OUTCOMES:
        raise SpaError(_("Choose the outcome"), field="outcome")
    if outcome in ("signposted", "referred_on") and not (detail or "").strip():
        raise SpaError(_("Say where the person was signposted or referred to"), field="detail")
    needed = current_app.config["SPA_CONTACT_ATTEMPT_DAYS"]
    if outcome == "could_not_contact" and len(attempt_days(referral)) < needed:
        raise SpaError(ngettext("Try to contact them on at least %(num)s different day before closing as "
                                "“could not contact”.",
                                "Try to contact them on at least %(num)s different days before closing as "
                                "“could not contact”.", needed), field="outcome")
    referral.move_to(ReferralStatus.closed)
    referral.outcome, referral.closed_at = outcome, utcnow()
    referral.outcome_detail = (detail or "").strip()[:1000]
    attempts = len(referral.contact_attempts)
    audit(user, "close", referral, f"outcome={outcome} attempts={attempts}")


def reopen(referral, user):
    referral.move_to(ReferralStatus.triaged if referral.colour else ReferralStatus.new)
    referral.closed_at, referral.outcome = None, ""
    audit(user, "reopen", referral)


def update_language(referral):
    """The UI language to write to them in: their preferred language if the site has it, else the form's."""
    from app.i18n.locale import available_languages
    available = available_languages()
    for code in (referral.preferred_language, referral.language):
        if code in available:
            return code
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def send_update(referral, user, method):
    """A waiting-list update in their language: e-mailed now, or a task for a person for other methods."""
    refuse_if_closed(referral)
    if method not in ("email", "phone", "text", "letter", "trusted"):
        raise SpaError(_("Choose how to send the update"), field="update-method")
    if method not in referral.contact_methods:
        raise SpaError(_("They did not agree to be contacted that way"), field="update-method")
    language = update_language(referral)
    answers = referral.answers
    update = WaitingUpdate(referral=referral, method=method, language=language, by_user_id=user.id,
                           status="queued" if method == "email" else "to_do")
    db.session.add(update)
    if method == "email":
        if not answers.get("email"):
            raise SpaError(_("There is no email address for this person"), field="update-method")
        mail.queue_email(answers["email"], _l("An update on your referral %(reference)s", reference=referral.reference),
                         "selfreferral/email/waiting_update.txt", language=language, kind="waiting_update",
                         referral=referral, answers=answers, links=search_links(referral.needs, language))
    audit(user, "waiting_update", referral, f"method={method} language={language}")
    return update


def mark_update_done(update, user):
    update.status = "done"
    audit(user, "waiting_update_done", update.referral, f"method={update.method}")


def share(referral, user, organisation, reason):
    from app.selfreferral import sharing
    refuse_if_closed(referral)
    return sharing.share(referral, user, organisation, reason)


def run_purge(dry_run=False):
    """The retention purge, committed: what `flask referrals purge` and the daily scheduled job run. A dry run
    counts what would go and rolls it all back."""
    counts = purge()
    (db.session.rollback if dry_run else db.session.commit)()
    return counts


def purge(now=None):
    """Delete closed referrals past retention, stale drafts and old sent mail (the caller commits). Returns counts."""
    from app.core.mail import OutboxMessage
    from app.selfreferral import saved_drafts as saved_draft_links
    now = now or utcnow()
    months = current_app.config["REFERRAL_RETENTION_MONTHS"]
    cutoff = now - timedelta(days=round(30.44 * months))
    old = db.session.execute(select(Referral).where(Referral.status == "closed", Referral.closed_at < cutoff)
                             ).scalars().all()
    for referral in old:
        db.session.delete(referral)
    stale = db.session.execute(select(Referral).where(*idle_open(open_retention_cutoff(now)))).scalars().all()
    months_open = current_app.config["OPEN_REFERRAL_RETENTION_MONTHS"]
    for referral in stale:  # each one audited: SPA staff were warned in the inbox beforehand
        db.session.add(AuditEvent(action="purge_open", referral_id=referral.id,
                                  detail=f"open referral with no activity for {months_open} months"))
        db.session.delete(referral)
    drafts, saved_drafts = saved_draft_links.purge(now)  # a draft saved behind a valid link is kept
    old_mail = db.session.execute(select(OutboxMessage).where(
        or_(OutboxMessage.status == "sent", OutboxMessage.status == "failed"),
        OutboxMessage.created_at < now - timedelta(days=30))).scalars().all()
    for message in old_mail:
        db.session.delete(message)
    if old:
        db.session.add(AuditEvent(action="purge", detail=f"referrals={len(old)}"))
    return {"referrals": len(old), "open_referrals": len(stale), "drafts": drafts, "saved_drafts": saved_drafts,
            "mail": len(old_mail)}

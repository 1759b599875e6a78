"""Listing freshness rules: the cut-offs, signed "still correct" links, the weekly reminder digests
to providers, and what the managers' report of listings that need checking counts.

The pages live with the blueprints they serve (provider/listing_check.py, manage/views.py) and
the `flask directory remind` command in cli.py.

A reminder link is signed (itsdangerous, salt "freshness") and carries the listing and the
provider it was sent to; it is the permission, so no sign-in is needed, but the provider must
still be active and still linked to the listing's organisation when the link is used.
"""
import calendar
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import LazyString, ngettext
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, or_, select

from app.accounts import links
from app.accounts.models import User, UserRole
from app.core import mail
from app.core.clock import now_utc
from app.directory import listings, moderation
from app.directory.models import Organisation, ReminderLog, Service
from app.extensions import db

TOKEN_SALT = "freshness"
TOKEN_MAX_AGE = timedelta(days=30)
REMIND_EVERY = timedelta(days=7)
REPORT_LIMIT = 2000  # listings shown on the report page; the counts always cover every listing


# --- clock and cut-offs ---------------------------------------------------------------------------

def _months(setting):
    # The same month length listings.freshness uses, so the two never disagree.
    return timedelta(days=30.44 * current_app.config[setting])


def stale_cutoff(now):
    """Published listings last checked before this (or never) need checking."""
    return now - _months("STALE_AFTER_MONTHS")


def out_of_date_cutoff(now):
    return now - _months("OUT_OF_DATE_AFTER_MONTHS")


def _needs_checking(now):
    return or_(Service.last_verified_at.is_(None), Service.last_verified_at < stale_cutoff(now))


# --- signed links ---------------------------------------------------------------------------------

def _serializer(now=None):
    """The serializer for reminder links. It signs and checks ages against `now`, the site's clock by default,
    so a link is made and read on one clock (itsdangerous would otherwise use the computer's)."""
    stamp = calendar.timegm((now or now_utc()).utctimetuple())

    class SiteClockSigner(TimestampSigner):
        def get_timestamp(self):
            return stamp

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT, signer=SiteClockSigner)


def make_token(service, user, now=None):
    return _serializer(now).dumps({"s": service.id, "u": user.id})


class LinkProblem(Exception):
    """Why a reminder link cannot be used: 'expired', 'invalid' or 'not_allowed'."""

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


def read_token(token, now=None):
    """(service, user) for a usable link; raises LinkProblem otherwise. Never raises anything else."""
    data = _payload(token, now)
    service = db.session.get(Service, data["s"])
    user = db.session.get(User, data["u"])
    if service is None or user is None:
        raise LinkProblem("invalid")
    if not may_confirm(user, service):
        raise LinkProblem("not_allowed")
    return service, user


def _payload(token, now):
    """The signed {"s": service id, "u": user id}; LinkProblem for anything else."""
    if not isinstance(token, str) or len(token) > 500:
        raise LinkProblem("invalid")
    try:
        data = _serializer(now).loads(token, max_age=int(TOKEN_MAX_AGE.total_seconds()))
    except SignatureExpired:
        raise LinkProblem("expired") from None
    except (BadData, ValueError, UnicodeError):
        raise LinkProblem("invalid") from None
    if not isinstance(data, dict) or not all(type(data.get(key)) is int for key in ("s", "u")):
        raise LinkProblem("invalid")
    return data


def may_confirm(user, service):
    """Only an active provider linked to the listing's organisation, and only for a published listing."""
    return (user.active and user.has_role("provider") and service.status == "published"
            and any(org.id == service.organisation_id for org in user.organisations))


def confirm_still_correct(service, user, now=None):
    """The provider says the listing is still right: it counts as checked now, and the history says so."""
    now = now or now_utc()
    service.last_verified_at, service.last_verified_by_id = now, user.id
    db.session.flush()
    moderation.record("service", service, service.organisation_id, moderation.snapshot_service(service), "verify",
                     user)


# --- links in e-mails -----------------------------------------------------------------------------

def site_url():
    """Where the site is served, for links in e-mails: SITE_URL (required in production), never the request's
    Host, as for every other e-mailed link (app.accounts.links)."""
    return current_app.config["SITE_URL"].rstrip("/")


def check_url(token, base=None):
    return (site_url() if base is None else base) + links.path_for("listing_check.check", token=token)


def edit_url(service, base=None):
    # The provider portal's edit page (its own blueprint), linked as a plain path.
    return f"{site_url() if base is None else base}/provider/services/{service.slug}/edit"


# --- the reminder digests -------------------------------------------------------------------------

@dataclass
class ReminderResult:
    providers_emailed: int = 0
    listings_included: int = 0  # distinct listings named in at least one digest
    providers_skipped: int = 0  # had listings to check, but were reminded in the last 7 days
    listings_unreminded: int = 0  # need checking, but their organisation has no active provider to tell
    sent: int = 0
    failed: int = 0
    listing_ids: set = field(default_factory=set, repr=False)


def stale_listings_by_organisation(now):
    """{organisation id: [published listings needing a check, oldest check first]}."""
    rows = db.session.execute(
        select(Service).where(Service.status == "published", _needs_checking(now))
        .order_by(Service.last_verified_at.asc().nulls_first(), Service.name, Service.id)
    ).scalars()
    grouped = {}
    for service in rows:
        if listings.freshness(service, now) != "fresh":
            grouped.setdefault(service.organisation_id, []).append(service)
    return grouped


def _active_providers():
    return db.session.execute(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == "provider", User.active.is_(True)).order_by(User.id)
    ).scalars().all()


def _reminded_recently(user, now):
    # Lock the provider's row (PostgreSQL) so two overlapping runs cannot both send a digest.
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    last = db.session.execute(select(func.max(ReminderLog.sent_at)).where(ReminderLog.user_id == user.id)).scalar()
    return last is not None and last > now - REMIND_EVERY


def send_reminders(now=None, dry_run=False):
    """Send each active provider one digest of their organisations' published listings that need
    checking, at most once every 7 days. Mail goes through the outbox, then out at once. A dry run counts
    the same, and sends, queues and records nothing."""
    now = now or now_utc()
    by_org = stale_listings_by_organisation(now)
    result = ReminderResult()
    queued = 0
    if not by_org:
        return result
    base = site_url()
    providers = _active_providers()
    covered = {org.id for user in providers for org in user.organisations}
    result.listings_unreminded = sum(len(due) for org_id, due in by_org.items() if org_id not in covered)
    for user in providers:
        due = [service for org in sorted(user.organisations, key=lambda o: o.name)
                    for service in by_org.get(org.id, [])]
        if not due:
            continue
        if _reminded_recently(user, now):
            db.session.rollback()
            result.providers_skipped += 1
            continue
        if dry_run:
            db.session.rollback()  # lets go of the row lock; nothing was written
        else:
            _queue_digest(user, due, now, base)
            db.session.add(ReminderLog(user_id=user.id, sent_at=now, service_count=len(due)))
            db.session.commit()  # the message and the log together: never one without the other
            queued += 1
        result.providers_emailed += 1
        result.listing_ids.update(service.id for service in due)
    result.listings_included = len(result.listing_ids)
    if queued:
        result.sent, result.failed = mail.send_queued()
    return result


def remind_now(service, now=None):
    """A manager's "remind now" for one listing: each of its organisation's active providers gets a digest of
    it at once, whatever the weekly limit; the weekly run then counts it as their reminder."""
    now = now or now_utc()
    result = ReminderResult()
    base = site_url()
    for user in service.organisation.providers:
        if not user.active:
            continue
        _queue_digest(user, [service], now, base)
        db.session.add(ReminderLog(user_id=user.id, sent_at=now, service_count=1))
        result.providers_emailed += 1
    db.session.commit()
    if result.providers_emailed:
        result.listings_included = 1
        result.sent, result.failed = mail.send_queued()
    return result


def _queue_digest(user, due, now, base):
    items = [{"service": service, "last_checked": service.last_verified_at,
              "out_of_date": listings.freshness(service, now) == "out_of_date",
              "check_url": check_url(make_token(service, user, now), base), "edit_url": edit_url(service, base)}
             for service in due]
    # There is no per-user language yet: digests are written in English.
    subject = LazyString(lambda: ngettext("%(num)s Hidden Gems listing needs checking",
                                          "%(num)s Hidden Gems listings need checking", len(items)))
    mail.queue_email(user.email, subject, "directory/email/reminder.txt", language="en", kind="freshness_reminder",
                     user=user, items=items, valid_until=now + TOKEN_MAX_AGE, portal_url=f"{base}/provider/")


# --- the managers' report -------------------------------------------------------------------------

@dataclass
class StaleReport:
    groups: list  # [{"organisation": Organisation, "items": [{"service", "out_of_date"}]}], by organisation name
    count_stale: int
    count_out: int
    shown: int

    @property
    def total(self):
        return self.count_out + self.count_stale

    @property
    def truncated(self):
        return self.shown < self.total


def stale_report(now):
    """Published listings that need checking, grouped by organisation, the longest unchecked first."""
    out_cut = out_of_date_cutoff(now)
    published = Service.status == "published"
    out_of_date = or_(Service.last_verified_at.is_(None), Service.last_verified_at < out_cut)
    count_out = db.session.execute(select(func.count()).select_from(Service).where(published, out_of_date)).scalar()
    count_stale = db.session.execute(select(func.count()).select_from(Service).where(
        published, Service.last_verified_at >= out_cut, Service.last_verified_at < stale_cutoff(now))).scalar()
    rows = db.session.execute(
        select(Service).join(Organisation, Organisation.id == Service.organisation_id)
        .where(published, _needs_checking(now))
        .order_by(Organisation.name, Organisation.id, Service.last_verified_at.asc().nulls_first(), Service.name)
        .limit(REPORT_LIMIT)
    ).scalars().all()
    groups = []
    for service in rows:
        if not groups or groups[-1]["organisation"].id != service.organisation_id:
            groups.append({"organisation": service.organisation, "items": []})
        groups[-1]["items"].append({"service": service,
                                    "out_of_date": listings.freshness(service, now) == "out_of_date"})
    return StaleReport(groups=groups, count_stale=count_stale, count_out=count_out, shown=len(rows))

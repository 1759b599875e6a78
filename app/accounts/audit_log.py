"""The administrator's audit log: filtering by action, user and dates, and the CSV of the filtered rows."""
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import User
from app.core.audit import AuditEvent
from app.core.clock import borough_timezone, to_local
from app.core.requests import MAX_ID, whole_number
from app.core.validation import formula_safe
from app.extensions import db

PER_PAGE = 100

# Shown instead of the codes; a code missing here is shown as it is.
ACTION_LABELS = {
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Failed sign-in"),
    "sign_out": _l("Signed out"),
    "password_reset_request": _l("Password reset asked for"),
    "password_reset": _l("Password reset"),
    "password_change": _l("Password changed"),
    "referral_denied": _l("Referral lookup refused"),
    "audit_view": _l("Audit log viewed"),
    "audit_export": _l("Audit log exported"),
    "inbox_view": _l("Referrals inbox viewed"),
    "view": _l("Referral viewed"),
    "shared_list_view": _l("Shared referrals viewed"),
    "triage": _l("Referral triaged"),
    "assign": _l("Team assigned"),
    "contact": _l("Contact attempt recorded"),
    "close": _l("Referral closed"),
    "reopen": _l("Referral reopened"),
    "waiting_update": _l("Waiting update sent"),
    "waiting_update_done": _l("Waiting update done"),
    "share": _l("Referral shared"),
    "export": _l("Referral exported"),
    "purge": _l("Old referrals deleted"),
    "purge_open": _l("Inactive open referral deleted"),
    "report_view": _l("Reports viewed"),
    "report_export": _l("Reports exported"),
    "partner_access_grant": _l("Partner access given"),
    "partner_access_remove": _l("Partner access removed"),
    "password_set": _l("Password set"),
    "user_activate": _l("Account reactivated"),
    "user_deactivate": _l("Account deactivated"),
    "user_role_add": _l("Role added"),
    "user_role_remove": _l("Role removed"),
    "user_org_add": _l("Organisation added to an account"),
    "user_org_remove": _l("Organisation removed from an account"),
    "site_page_edit": _l("Site page edited"),
    # Directory and translation work.
    "change_approve": _l("Listing change approved"),
    "change_send_back": _l("Listing change sent back"),
    "change_restore": _l("Earlier listing version restored"),
    "change_approve_edited": _l("Listing change approved with the manager’s edits"),
    "translation_approve": _l("Listing translation approved"),
    "translation_send_back": _l("Listing translation sent back"),
    "organisation_trust": _l("Organisation trusted with translations"),
    "organisation_untrust": _l("Organisation no longer trusted with translations"),
    "csv_import": _l("Listings imported from a CSV file"),
    "invitation_send": _l("Provider invited"),
    "invitation_resend": _l("Invitation sent again"),
    "invitation_accept": _l("Invitation accepted"),
    "translation_edit": _l("Translation edited"),
    "translation_upload": _l("Translations uploaded"),
    "language_added": _l("Language added"),
    "search_synonyms_changed": _l("Search words changed"),
    "search_synonyms_removed": _l("Search words removed"),
    "school_holiday_add": _l("School holiday added"),
    "school_holiday_remove": _l("School holiday removed"),
}

DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def action_label(code):
    return ACTION_LABELS.get(code, code)


@dataclass
class AuditFilters:
    action: str = ""
    user_id: int | None = None
    start: date | None = None
    end: date | None = None
    errors: dict = field(default_factory=dict)  # form field name -> message
    typed: dict = field(default_factory=dict)  # what was typed, to show again

    @classmethod
    def from_args(cls, args):
        filters = cls(typed={name: (args.get(name) or "")[:20] for name in ("action", "user", "from", "to")})
        action = filters.typed["action"]
        if action and action not in ACTION_LABELS:
            filters.errors["action"] = _l("Select an action from the list")
        else:
            filters.action = action
        raw_user = filters.typed["user"]
        if raw_user:
            filters.user_id = whole_number(raw_user, 1, MAX_ID)
            if filters.user_id is None:
                filters.errors["user"] = _l("Select a user from the list")
        filters.start = filters._date("from")
        filters.end = filters._date("to")
        if filters.start and filters.end and filters.start > filters.end:
            filters.errors["to"] = _l("The end date must be the same as or after the start date")
        return filters

    def _date(self, name):
        value = self.typed[name].strip()
        if not value:
            return None
        day = None
        if DATE_RE.match(value):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                day = None
        if day is None or not 1900 <= day.year <= 2199:
            self.errors[name] = _l("Enter a real date, like 2026-03-27")
            return None
        return day

    @property
    def args(self):
        """The filters as query arguments, for pagination and the CSV link."""
        values = {"action": self.action, "user": self.user_id or "", "from": self.start.isoformat() if self.start
                  else "", "to": self.end.isoformat() if self.end else ""}
        return {key: value for key, value in values.items() if value}

    @property
    def detail(self):
        # The audit of the audit: the filters asked for, never a person's details.
        return " ".join(f"{key}={value}" for key, value in self.args.items())


def _utc_midnight(day):
    return datetime.combine(day, time(0), tzinfo=borough_timezone()).astimezone(UTC).replace(tzinfo=None)


def query(filters):
    statement = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if filters.action:
        statement = statement.where(AuditEvent.action == filters.action)
    if filters.user_id:
        statement = statement.where(AuditEvent.user_id == filters.user_id)
    if filters.start:  # dates are the borough's days
        statement = statement.where(AuditEvent.at >= _utc_midnight(filters.start))
    if filters.end:
        statement = statement.where(AuditEvent.at < _utc_midnight(filters.end + timedelta(days=1)))
    return statement


def page(filters, number):
    return db.paginate(query(filters), page=number, per_page=PER_PAGE, error_out=False)


def users():
    return db.session.execute(select(User).order_by(User.email)).scalars().all()


def csv_body(filters):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("When"), _("Who"), _("Action"), _("Record"), _("Detail")])
    for event in db.session.execute(query(filters)).scalars():
        when = to_local(event.at)
        writer.writerow([formula_safe(cell) for cell in (
            when.isoformat(sep=" ", timespec="seconds") if when else "", event.user.email if event.user else "",
            str(action_label(event.action)), event.record, event.detail)])
    return out.getvalue()

"""Referrals into the single point of access. Personal answers live only in encrypted columns;
the plain columns hold what the inbox filters and reports count (codes, dates, status)."""
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import crypto
from app.core.db import CodeList, utcnow
from app.extensions import db


class ReferralStatus(StrEnum):
    # Lower-case names equal to the values: the database, the forms and the templates all use the plain text.
    new = "new"
    triaged = "triaged"
    contacted = "contacted"
    allocated = "allocated"
    closed = "closed"


STATUSES = tuple(status.value for status in ReferralStatus)
STATUS_LABELS = {"new": _l("New"), "triaged": _l("Triaged"), "contacted": _l("Contacted"),
                 "allocated": _l("Allocated"), "closed": _l("Closed")}
# Where a referral may go from each status; Referral.move_to is the one place that checks it.
TRANSITIONS = {
    ReferralStatus.new: {ReferralStatus.triaged, ReferralStatus.contacted, ReferralStatus.allocated,
                         ReferralStatus.closed},
    ReferralStatus.triaged: {ReferralStatus.contacted, ReferralStatus.allocated, ReferralStatus.closed},
    ReferralStatus.contacted: {ReferralStatus.allocated, ReferralStatus.closed},
    ReferralStatus.allocated: {ReferralStatus.closed},
    ReferralStatus.closed: {ReferralStatus.new, ReferralStatus.triaged},  # reopening
}
COLOURS = ("red", "amber", "green")
ROUTES = ("self", "on_behalf", "worker")
# What a partner organisation reports back about a referral shared with it.
PARTNER_OUTCOMES = ("accepted", "started", "declined", "could_not_contact")
OUTCOMES = ("supported", "signposted", "referred_on", "declined", "could_not_contact", "not_appropriate")


class ReferralDraft(db.Model):
    """Answers while someone is still filling in the form: kept server-side, encrypted, until
    REFERRAL_DRAFT_IDLE_MINUTES pass without activity."""

    __tablename__ = "referral_draft"
    id: Mapped[str] = mapped_column(String(43), primary_key=True)
    journey_token: Mapped[str] = mapped_column(String(43), unique=True)
    answers_encrypted = mapped_column(LargeBinary, nullable=False)
    created_at = mapped_column(DateTime, default=utcnow)
    updated_at = mapped_column(DateTime, default=utcnow, onupdate=utcnow, index=True)

    answers = crypto.EncryptedField("answers_encrypted", {})


class SavedDraftLink(db.Model):
    """An e-mailed "come back later" link to a saved draft: one use, until expires_at. Only the token's hash is kept;
    a used link stays until it expires so that a second use can be told it was used."""

    __tablename__ = "saved_draft_link"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    draft_id: Mapped[str | None] = mapped_column(ForeignKey("referral_draft.id", ondelete="SET NULL"), nullable=True,
                                                 index=True)
    created_at = mapped_column(DateTime, default=utcnow)
    expires_at = mapped_column(DateTime, nullable=False, index=True)
    used_at = mapped_column(DateTime, nullable=True)


class TransitionError(ValueError):
    """A status change the allowed transitions do not include. Its text is for the person who tried it."""

    def __init__(self, current, new):
        self.current, self.new = current, new
        super().__init__(current, new)

    def __str__(self):
        return _("A referral that is “%(current)s” cannot be made “%(new)s”.",
                 current=STATUS_LABELS.get(self.current, self.current), new=STATUS_LABELS.get(self.new, self.new))


class Referral(db.Model):
    __tablename__ = "referral"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    # One journey, one referral: a double click or a retried POST finds the referral already made.
    journey_token: Mapped[str] = mapped_column(String(43), unique=True)
    answers_encrypted = mapped_column(LargeBinary, nullable=False)
    route: Mapped[str] = mapped_column(String(12), default="self")
    not_safe: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # Stored as text with a CHECK constraint (ck_referral_status), the same on SQLite and PostgreSQL.
    status: Mapped[ReferralStatus] = mapped_column(
        Enum(ReferralStatus, name="status", native_enum=False, create_constraint=True, length=12,
             values_callable=lambda statuses: [s.value for s in statuses], validate_strings=True),
        default=ReferralStatus.new, index=True)
    colour: Mapped[str | None] = mapped_column(String(6), nullable=True, index=True)
    triage_reason_encrypted = mapped_column(LargeBinary, nullable=True)
    team: Mapped[str] = mapped_column(String(120), default="")
    neighbourhood_code: Mapped[str] = mapped_column(String(60), default="", index=True)
    needs = mapped_column(CodeList, default=list)
    language: Mapped[str] = mapped_column(String(10), default="en")  # the language the form was filled in
    preferred_language: Mapped[str] = mapped_column(String(10), default="en")
    contact_methods = mapped_column(CodeList, default=list)
    outcome: Mapped[str] = mapped_column(String(30), default="")
    outcome_detail_encrypted = mapped_column(LargeBinary, nullable=True)
    created_at = mapped_column(DateTime, default=utcnow, index=True)
    first_contact_at = mapped_column(DateTime, nullable=True)
    last_contact_at = mapped_column(DateTime, nullable=True)
    closed_at = mapped_column(DateTime, nullable=True, index=True)
    updated_at = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    contact_attempts = relationship("ContactAttempt", back_populates="referral", cascade="all, delete-orphan",
                                    order_by="ContactAttempt.at")
    shares = relationship("ReferralShare", back_populates="referral", cascade="all, delete-orphan")
    updates = relationship("WaitingUpdate", back_populates="referral", cascade="all, delete-orphan",
                           order_by="WaitingUpdate.at")

    answers = crypto.EncryptedField("answers_encrypted", {})

    triage_reason = crypto.EncryptedField("triage_reason_encrypted", "")

    outcome_detail = crypto.EncryptedField("outcome_detail_encrypted", "")

    def can_move_to(self, new):
        return ReferralStatus(new) in TRANSITIONS[ReferralStatus(self.status or ReferralStatus.new)]

    def move_to(self, new):
        """Change the status, or raise TransitionError if the allowed transitions do not include it."""
        if not self.can_move_to(new):
            raise TransitionError(self.status, new)
        self.status = ReferralStatus(new)


class ContactAttempt(db.Model):
    __tablename__ = "contact_attempt"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    at = mapped_column(DateTime, default=utcnow)
    method: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(20))
    note_encrypted = mapped_column(LargeBinary, nullable=True)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)

    referral = relationship("Referral", back_populates="contact_attempts")
    by_user = relationship("User")

    note = crypto.EncryptedField("note_encrypted", "")


class WaitingUpdate(db.Model):
    """A 'you have not been forgotten' message: e-mailed, or a task for a person to do by phone, text or letter."""

    __tablename__ = "waiting_update"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    at = mapped_column(DateTime, default=utcnow)
    method: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default="queued")  # queued (e-mail) | to_do | done
    language: Mapped[str] = mapped_column(String(10), default="en")
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)

    referral = relationship("Referral", back_populates="updates")


class ReferralShare(db.Model):
    """A partner organisation's staff may read this record: no one is assessed twice."""

    __tablename__ = "referral_share"
    __table_args__ = (UniqueConstraint("referral_id", "organisation_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    at = mapped_column(DateTime, default=utcnow)
    # Why SPA staff shared it, which the partner reads (free text: encrypted like the rest of the referral).
    reason_encrypted = mapped_column(LargeBinary, nullable=True)
    # What the partner reports back (PARTNER_OUTCOMES), with an optional note.
    outcome: Mapped[str] = mapped_column(String(20), default="", server_default="")
    outcome_note_encrypted = mapped_column(LargeBinary, nullable=True)
    outcome_at = mapped_column(DateTime, nullable=True)
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)

    referral = relationship("Referral", back_populates="shares")
    organisation = relationship("Organisation")

    reason = crypto.EncryptedField("reason_encrypted", "")
    outcome_note = crypto.EncryptedField("outcome_note_encrypted", "")


class PartnerAccess(db.Model):
    """A partner's staff member may read the referrals shared with this organisation.

    Kept apart from provider_organisation (who edits the organisation's listings, which a directory manager grants
    through /join): reading health records is given only by SPA staff or an admin, at /spa/partners.
    """

    __tablename__ = "partner_organisation"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    # None for grants carried over from provider_organisation by migration 0009.
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    at = mapped_column(DateTime, default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
    organisation = relationship("Organisation")
    granted_by = relationship("User", foreign_keys=[granted_by_id])

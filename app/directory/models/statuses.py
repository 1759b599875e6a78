"""The statuses a listing and a change can have, and the only ways one may become another.

Every assignment to Service.status or Revision.status goes through `check` (the models' validators), so
a forbidden move raises StatusChangeError instead of silently happening; the database's CHECK
constraints (migrations 0007 and 0017) hold the same lists.
"""
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint


class ListingStatus(enum.StrEnum):
    DRAFT = "draft"  # being written; the public never sees it
    PUBLISHED = "published"
    ARCHIVED = "archived"  # no longer running; kept with its history


class ChangeStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for a directory manager
    APPLIED = "applied"
    SENT_BACK = "sent_back"  # returned with a reason: the provider's draft, kept for them to edit and send again
    SUPERSEDED = "superseded"  # replaced by a later pending change to the same thing


LISTING_TRANSITIONS = {
    # Once published, a listing is withdrawn by archiving it: back to draft would let its provider's
    # edits go live without a check (drafts are not moderated).
    ListingStatus.DRAFT: {ListingStatus.PUBLISHED, ListingStatus.ARCHIVED},
    ListingStatus.PUBLISHED: {ListingStatus.ARCHIVED},
    ListingStatus.ARCHIVED: {ListingStatus.PUBLISHED},
}
CHANGE_TRANSITIONS = {
    ChangeStatus.PENDING: {ChangeStatus.APPLIED, ChangeStatus.SENT_BACK, ChangeStatus.SUPERSEDED},
    ChangeStatus.APPLIED: set(),
    ChangeStatus.SENT_BACK: {ChangeStatus.SUPERSEDED},  # the provider sends the draft again
    ChangeStatus.SUPERSEDED: set(),
}


class StatusChangeError(ValueError):
    """A status that does not exist, or a move the transitions table forbids."""

    def __init__(self, kind, old, new):
        super().__init__(f"{kind} status cannot change from {old!r} to {new!r}")
        self.kind, self.old, self.new = kind, old, new

    @property
    def message(self):
        """What to show the person who tried."""
        if self.kind == "change":
            return _l("This change has already been dealt with")
        from app.directory.taxonomy import SERVICE_STATUSES
        return _l("A listing that is ‘%(old)s’ cannot become ‘%(new)s’",
                  old=SERVICE_STATUSES.get(self.old, self.old), new=SERVICE_STATUSES.get(self.new, self.new))


TRANSITIONS = {"listing": LISTING_TRANSITIONS, "change": CHANGE_TRANSITIONS}
# Saving a listing writes its status again unchanged; a change decided once is never decided again.
MAY_STAY = {"listing": True, "change": False}


def check(kind, old, new):
    """`new` (as a plain string) when `old` may become it; a new row (old None) may start anywhere."""
    table = TRANSITIONS[kind]
    if new not in table:
        raise StatusChangeError(kind, old, new)
    if old is None or (old == new and MAY_STAY[kind]) or new in table.get(old, ()):
        return str(new)
    raise StatusChangeError(kind, old, new)


def check_constraint(enum_class, column="status"):
    """The database's copy of the list of statuses, named ck_<table>_<column>."""
    values = ", ".join(f"'{member.value}'" for member in enum_class)
    return CheckConstraint(f"{column} IN ({values})", name=column)

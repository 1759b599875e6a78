"""The moderation rules for listings and organisations: waiting changes, approving, sending back, versions.

A provider's change waits as a Revision that proposes some fields (its `base` says which, and what they
were when the provider started). Approving applies only those fields; where one of them has also changed
since, the manager chooses per field. Every version that went live is a Revision with `before` and
`after`, in the order it went live; history and restore read those (see app.directory.history).

These functions add and flush; the view or command that calls them commits, once.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core import audit
from app.core.db import utcnow
from app.directory.models import Organisation, Revision, Service, statuses
from app.directory.models.statuses import ChangeStatus
from app.directory.snapshots import (  # noqa: F401  (the snapshot helpers, for callers of this module)
    FIELD_LABELS,
    ORGANISATION_FIELDS,
    SERVICE_FIELDS,
    apply_organisation_snapshot,
    apply_service_snapshot,
    apply_snapshot,
    diff,
    same,
    snapshot_of,
    snapshot_organisation,
    snapshot_service,
)
from app.extensions import db

DRAFT_STATUSES = (ChangeStatus.PENDING.value, ChangeStatus.SENT_BACK.value)
KEEP_PUBLISHED, USE_PROPOSED = "published", "proposed"
REASON_MAX = 2000


class ModerationError(ValueError):
    pass


@dataclass
class Conflict:
    """A field the change proposes that has also changed since the provider started."""

    key: str
    label: str
    published: object
    base: object
    proposed: object


class ConflictsToResolve(ModerationError):
    """The manager must choose, field by field, between what is published now and what was proposed."""

    def __init__(self, conflicts, missing):
        super().__init__(_l("Choose which value to keep for each field"))
        self.conflicts, self.missing = conflicts, missing


def _organisation_id(entity_type, entity):
    return entity.organisation_id if entity_type == "service" else entity.id


def _entity(entity_type, entity_id):
    return db.session.get(Service if entity_type == "service" else Organisation, entity_id)


def live_snapshot(revision):
    entity = _entity(revision.entity_type, revision.entity_id)
    return entity, snapshot_of(revision.entity_type, entity) if entity else None


# --- versions that went live ------------------------------------------------------------------------------------

def last_version(entity_type, entity_id):
    """The latest version that went live (a check that it is still correct is not a version)."""
    return db.session.execute(select(Revision).where(
        Revision.entity_type == entity_type, Revision.entity_id == entity_id, Revision.status == "applied",
        Revision.kind != "verify").order_by(Revision.decided_at.desc(), Revision.id.desc())).scalars().first()


def ensure_first_version(entity_type, entity):
    """Record what is live now as the first version, if nothing is recorded yet, before anything changes it:
    otherwise the first change could never be undone."""
    if entity_type == "service" and entity.status == "draft":
        return None  # nothing of a draft has been public
    if entity.id is None or last_version(entity_type, entity.id) is not None:
        return None
    revision = Revision(entity_type=entity_type, entity_id=entity.id, kind="published", status="applied",
                        organisation_id=_organisation_id(entity_type, entity), version=entity.version or 1)
    revision.snapshot = revision.after = snapshot_of(entity_type, entity)
    revision.decided_at = utcnow()
    db.session.add(revision)
    db.session.flush()
    return revision


def went_live(entity_type, entity, kind, user, before, revision=None, after=None):
    """Record a new live version: the version number goes up, and its before and after are kept."""
    db.session.flush()
    entity.version = (entity.version or 1) + 1
    after = after if after is not None else snapshot_of(entity_type, entity)
    if revision is None:
        revision = Revision(entity_type=entity_type, entity_id=entity.id, kind=kind, status="pending",
                            organisation_id=_organisation_id(entity_type, entity),
                            submitted_by_id=getattr(user, "id", None))
        revision.snapshot = after
        db.session.add(revision)
    revision.status = "applied"
    revision.version, revision.before, revision.after = entity.version, before, after
    revision.decided_by_id, revision.decided_at = getattr(user, "id", None), utcnow()
    db.session.flush()
    return revision


def record(entity_type, entity, organisation_id, snapshot, kind, user, status="applied"):
    """Keep a change already made to the live listing (an import), or a check that it is still correct."""
    if status != "applied":
        revision = Revision(entity_type=entity_type, entity_id=entity.id, organisation_id=organisation_id, kind=kind,
                            status=status, submitted_by_id=getattr(user, "id", None))
        revision.snapshot = snapshot
        db.session.add(revision)
        return revision
    previous = last_version(entity_type, entity.id)
    before = previous.after if previous else None
    if kind == "verify":
        # Checked as still correct: no field changes, and not a new version.
        revision = Revision(entity_type=entity_type, entity_id=entity.id, organisation_id=organisation_id,
                            kind=kind, status="applied", submitted_by_id=getattr(user, "id", None),
                            decided_by_id=getattr(user, "id", None), decided_at=utcnow(), version=entity.version)
        revision.snapshot = snapshot
        revision.before = revision.after = snapshot
        db.session.add(revision)
        return revision
    return went_live(entity_type, entity, kind, user, before, after=snapshot)


def apply_directly(entity_type, entity, values, user, kind="manager_edit"):
    """A manager's edit, or a provider's capacity change: only these fields, live at once, kept in the
    history. Anyone else's waiting change stays waiting (and may now conflict)."""
    ensure_first_version(entity_type, entity)
    before = snapshot_of(entity_type, entity)
    apply_snapshot(entity_type, entity, values)
    db.session.flush()
    after = snapshot_of(entity_type, entity)
    if not diff(before, after) and kind != "capacity":
        return None  # nothing changed: no new version
    return went_live(entity_type, entity, kind, user, before)


# --- waiting changes ---------------------------------------------------------------------------------------------

def pending_for(entity_type, entity_id):
    return db.session.execute(select(Revision).where(
        Revision.entity_type == entity_type, Revision.entity_id == entity_id, Revision.status == "pending")
        .order_by(Revision.submitted_at.desc(), Revision.id.desc())).scalars().first()


def draft_for(entity_type, entity_id):
    """The provider's own change: waiting for a check, or sent back to them to edit."""
    return db.session.execute(select(Revision).where(
        Revision.entity_type == entity_type, Revision.entity_id == entity_id, Revision.status.in_(DRAFT_STATUSES))
        .order_by(Revision.submitted_at.desc(), Revision.id.desc())).scalars().first()


def proposed_values(revision, live):
    """The fields the change proposes, with their proposed values."""
    snapshot, base = revision.snapshot, revision.base
    if base is None:  # a change from before changes recorded their base: whatever differs from live
        return {key: value for key, value in snapshot.items() if not same(key, live.get(key), value)}
    return {key: snapshot[key] for key in base if key in snapshot}


def provider_view(entity_type, entity):
    """What the provider works on: the live listing with their own change (waiting or sent back) on top."""
    live = snapshot_of(entity_type, entity)
    draft = draft_for(entity_type, entity.id)
    return {**live, **proposed_values(draft, live)} if draft else live


def propose(entity_type, entity, snapshot, user, kind="edit"):
    """A provider's change: replaces their earlier one (waiting or sent back), keeping what that was based on."""
    live = snapshot_of(entity_type, entity)
    earlier = draft_for(entity_type, entity.id)
    earlier_base = (earlier.base or {}) if earlier else {}
    base = {}
    for key, value in snapshot.items():
        reference = earlier_base[key] if key in earlier_base else live.get(key)
        if not same(key, reference, value):
            base[key] = reference
    for older in db.session.execute(select(Revision).where(
            Revision.entity_type == entity_type, Revision.entity_id == entity.id,
            Revision.status.in_(DRAFT_STATUSES))).scalars():
        older.status = "superseded"
    revision = Revision(entity_type=entity_type, entity_id=entity.id, kind=kind, status="pending",
                        organisation_id=_organisation_id(entity_type, entity),
                        submitted_by_id=getattr(user, "id", None))
    revision.snapshot = {**live, **{key: snapshot[key] for key in base}}
    revision.base = base
    revision.base_version = earlier.base_version if earlier and earlier.base_version else entity.version
    db.session.add(revision)
    db.session.flush()
    return revision


def conflicts(revision, live):
    """Proposed fields that changed since the provider started, and now differ from the proposal."""
    base = revision.base
    if not base:
        return []
    proposed = proposed_values(revision, live)
    return [Conflict(key, FIELD_LABELS.get(key, key), live.get(key), base[key], proposed[key])
            for key in sorted(proposed, key=_field_order)
            if not same(key, live.get(key), base[key]) and not same(key, live.get(key), proposed[key])]


def _field_order(key):
    return list(FIELD_LABELS).index(key) if key in FIELD_LABELS else len(FIELD_LABELS)


def approve(revision, manager, choices=None, edits=None):
    """Apply only the fields the change proposes. Where one also changed since, `choices` (field ->
    'published' or 'proposed') must say which to keep: otherwise ConflictsToResolve. `edits` (field -> words)
    are a manager's words in place of the proposed ones (see moderation_edits): for a field that conflicts,
    the manager's words are their choice."""
    statuses.check("change", revision.status, ChangeStatus.APPLIED)  # before touching the listing
    entity, live = live_snapshot(revision)
    if entity is None:
        raise ModerationError(_l("The listing no longer exists"))
    values = proposed_values(revision, live)
    found = conflicts(revision, live)
    edits = edits or {}
    choices = {**(choices or {}), **dict.fromkeys(edits, USE_PROPOSED)}
    missing = [c for c in found if choices.get(c.key) not in (KEEP_PUBLISHED, USE_PROPOSED)]
    if missing:
        raise ConflictsToResolve(found, missing)
    for conflict in found:
        if choices[conflict.key] == KEEP_PUBLISHED:
            values.pop(conflict.key)
    values.update(edits)
    if revision.entity_type == "service" and revision.kind == "create" and live.get("status") == "draft":
        values["status"] = "published"
    ensure_first_version(revision.entity_type, entity)
    apply_snapshot(revision.entity_type, entity, values)
    if revision.entity_type == "service":
        entity.last_verified_at, entity.last_verified_by_id = utcnow(), revision.submitted_by_id
    went_live(revision.entity_type, entity, revision.kind, manager, live, revision=revision)
    audit.log("change_approve", manager, detail=f"revision={revision.id} {revision.entity_type}={revision.entity_id}")
    return entity


def send_back(revision, manager, reason):
    """The change goes back to the provider as their draft, with the reason, for them to edit and send again."""
    statuses.check("change", revision.status, ChangeStatus.SENT_BACK)
    if not (reason or "").strip():
        raise ModerationError(_l("Give a reason, so the provider knows what to change"))
    if len(reason.strip()) > REASON_MAX:  # refused, never cut short
        raise ModerationError(_l("The reason must be %(max)s characters or fewer", max=f"{REASON_MAX:,}"))
    revision.status, revision.reason = "sent_back", reason.strip()
    revision.decided_by_id, revision.decided_at = manager.id, utcnow()
    audit.log("change_send_back", manager,
              detail=f"revision={revision.id} {revision.entity_type}={revision.entity_id}")


def sent_back_for(entity_type, entity_id):
    draft = draft_for(entity_type, entity_id)
    return draft if draft is not None and draft.status == "sent_back" else None

"""A listing's history: one entry per version that went live, in the order it went live, and restoring one.

Restoring never deletes history: it is a new version. Its preview names every field it would change and,
for each, the later versions that changed it, so approved work is never undone without being seen.
These functions add and flush; the view commits.
"""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core import audit
from app.directory import moderation
from app.directory.models import Revision
from app.directory.snapshots import apply_snapshot, diff, same, snapshot_of
from app.extensions import db


@dataclass
class Entry:
    revision: Revision
    changes: list  # [(field, label, before, after)]
    first: bool = False  # the first recorded version: nothing before it to compare with

    @property
    def is_version(self):
        return self.revision.kind != "verify"


@dataclass
class RestoreRow:
    key: str
    label: str
    now: object
    restored: object
    later: list = field(default_factory=list)  # the later versions that changed this field


def versions(entity_type, entity_id):
    """Everything that went live (and every check that it was still correct), oldest first."""
    return db.session.execute(select(Revision).where(
        Revision.entity_type == entity_type, Revision.entity_id == entity_id, Revision.status == "applied")
        .order_by(Revision.decided_at, Revision.id)).scalars().all()


def entries(entity_type, entity_id):
    """The history, newest first, each entry with its fields' values before and after."""
    found, previous = [], None
    for revision in versions(entity_type, entity_id):
        after = revision.after
        before = revision.before if revision.before_json else previous
        if revision.kind == "verify":
            found.append(Entry(revision, []))
            continue
        found.append(Entry(revision, diff(before, after) if before is not None else [], first=before is None))
        previous = after
    return list(reversed(found))


def waiting(entity_type, entity_id):
    """Changes not live: waiting for a check, or sent back to the provider."""
    return db.session.execute(select(Revision).where(
        Revision.entity_type == entity_type, Revision.entity_id == entity_id,
        Revision.status.in_(moderation.DRAFT_STATUSES)).order_by(Revision.submitted_at.desc())).scalars().all()


def _restorable(revision):
    if revision.status != "applied" or revision.kind == "verify" or revision.after is None:
        raise moderation.ModerationError(_l("Only a version that was published can be restored"))


def restore_preview(revision):
    """(entity, rows): each field the restore would change, now and after, with the later versions that changed it."""
    _restorable(revision)
    entity, live = moderation.live_snapshot(revision)
    if entity is None:
        raise moderation.ModerationError(_l("The listing no longer exists"))
    target = revision.after
    later = [r for r in versions(revision.entity_type, revision.entity_id)
             if (r.decided_at, r.id) > (revision.decided_at, revision.id) and r.kind != "verify"]
    rows = []
    for key, label, now, restored in diff(live, target):
        changed_by = [r for r in later if r.before is not None and r.after is not None
                      and not same(key, r.before.get(key), r.after.get(key))]
        rows.append(RestoreRow(key, label, now, restored, changed_by))
    return entity, rows


def restore(revision, manager):
    """Make the listing as it was in this version again: a new version, recorded like any other."""
    entity, rows = restore_preview(revision)
    moderation.ensure_first_version(revision.entity_type, entity)
    before = snapshot_of(revision.entity_type, entity)
    target = revision.after
    apply_snapshot(revision.entity_type, entity, {row.key: target[row.key] for row in rows})
    moderation.went_live(revision.entity_type, entity, "restore", manager, before)
    audit.log("change_restore", manager, detail=f"revision={revision.id} {revision.entity_type}={revision.entity_id}")
    return entity

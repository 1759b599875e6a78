"""A manager edits the words of a provider's change before approving it ("Approve with my edits").

The edit form reuses the provider's own fields, so the same checks and limits apply. What goes live is the
edited text; the revision keeps the provider's proposal (its snapshot) and, in `edits`, each field's proposed
and approved words, so history can say "Approved with changes". The provider is told by e-mail and on their
dashboard. Conflicts work as in a plain approval: a field the manager rewrote is their choice for that field.

These functions add and flush; the view commits.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms.validators import Length

from app.core import audit, mail
from app.core.db import utcnow
from app.core.forms import SiteForm
from app.directory import moderation
from app.directory.provider.forms import BasicsForm, CapacityForm, ContactForm, OrganisationForm, WhoForm
from app.directory.snapshots import FIELD_LABELS, same

# The free-text fields a manager may reword, with the provider's form field (its checks and limits) and rows.
TEXT_FIELDS = {
    "service": {"name": (BasicsForm.name, 0), "description": (BasicsForm.description, 8),
                "eligibility": (WhoForm.eligibility, 3), "access_text": (ContactForm.access_text, 3),
                "cost_text": (ContactForm.cost_text, 0), "capacity_note": (CapacityForm.capacity_note, 0),
                "contact_name": (ContactForm.contact_name, 0), "contact_role": (ContactForm.contact_role, 0)},
    "organisation": {"name": (OrganisationForm.name, 0), "description": (OrganisationForm.description, 6)},
}
TELL_PROVIDER_FOR = timedelta(days=30)  # how long the dashboard says a change was approved with changes


class EditsInvalid(moderation.ModerationError):
    """Some edited words break the provider form's rules: the form holds the messages and what was typed."""

    def __init__(self, form):
        super().__init__(_l("Check the edited words"))
        self.form = form


def editable(revision):
    """{field: proposed words} for the text fields a manager may edit: the ones the change proposes (a new
    listing: all of them, as it is checked whole)."""
    entity, live = moderation.live_snapshot(revision)
    if entity is None or revision.status != "pending":
        return {}
    proposed = {**live, **moderation.proposed_values(revision, live)}
    keys = proposed if revision.kind == "create" else moderation.proposed_values(revision, live)
    fields = TEXT_FIELDS.get(revision.entity_type, {})
    return {key: proposed.get(key) or "" for key in fields if key in keys}


def edit_form(revision, formdata=None):
    """The edit form for this change, filled with the proposed words (or what the manager typed)."""
    values = editable(revision)
    fields = TEXT_FIELDS.get(revision.entity_type, {})
    form_class = type("EditBeforeApprovingForm", (SiteForm,), {key: fields[key][0] for key in values})
    form = form_class(formdata=formdata, data=values)
    for key in values:
        form[key].label.text, form[key].description = FIELD_LABELS[key], ""
    return form


def rows(entity_type, key):
    return TEXT_FIELDS[entity_type][key][1]


def max_length(field):
    return next((v.max for v in field.validators if isinstance(v, Length) and v.max and v.max > 0), None)


def approve_with_edits(revision, manager, form, choices=None):
    """Approve the change with the manager's words where they differ from the proposal. Raises EditsInvalid
    (the form has the errors), ConflictsToResolve, or ModerationError; returns (entity, edited fields)."""
    proposed = editable(revision)
    if not proposed:
        raise moderation.ModerationError(_l("This change has no words to edit"))
    if not form.validate():
        raise EditsInvalid(form)
    edits = {}
    for key, old in proposed.items():
        new = (form[key].data or "").strip()
        if not same(key, old, new):
            edits[key] = new
    entity = moderation.approve(revision, manager, choices, edits=edits)
    if edits:
        revision.edits = {key: {"proposed": proposed[key], "approved": new} for key, new in edits.items()}
        audit.log("change_approve_edited", manager, detail=f"revision={revision.id} "
                  f"{revision.entity_type}={revision.entity_id} fields={','.join(sorted(edits))}")
        _tell_provider(revision, entity)
    return entity, edits


def _tell_provider(revision, entity):
    if revision.submitted_by is None:
        return
    changed = [(FIELD_LABELS[key], value["approved"]) for key, value in revision.edits.items()]
    mail.queue_email(revision.submitted_by.email,
                     _l("Your change to %(name)s was approved with changes", name=entity.name),
                     "directory/email/approved_with_changes.txt", language="en", revision=revision, entity=entity,
                     changed=changed, is_service=revision.entity_type == "service")


def approved_with_changes(entity_type, entity_id):
    """The latest version, if a manager changed the provider's words in it lately: the dashboard says so."""
    latest = moderation.last_version(entity_type, entity_id)
    if latest is None or not latest.edits or latest.decided_at < utcnow() - TELL_PROVIDER_FOR:
        return None
    return latest


def edited_labels(revision):
    return [FIELD_LABELS.get(key, key) for key in revision.edits]

"""A draft nobody will finish can be deleted; a listing that was ever published is archived instead, so its
history stays. Routes of the provider blueprint."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete

from app.accounts.permissions import role_required
from app.core import audit
from app.directory.models import Revision, TranslationChange
from app.directory.provider import editing
from app.directory.provider.views import EDITORS, provider_bp
from app.extensions import db


def may_delete(service):
    return service.status == "draft" and not editing.ever_published(service)


def delete_draft(service, user):
    """The draft, its pending "new listing" change and any translations (live or waiting); the caller commits."""
    for translation in list(getattr(service, "translations", [])):
        db.session.delete(translation)
    db.session.execute(delete(Revision).where(Revision.entity_type == "service", Revision.entity_id == service.id))
    db.session.execute(delete(TranslationChange).where(TranslationChange.service_id == service.id))
    audit.log("draft_deleted", user, record=service.slug[:60], detail=service.organisation.slug[:60])
    db.session.delete(service)


@provider_bp.route("/services/<slug>/delete", methods=["GET", "POST"])
@role_required(*EDITORS)
def delete_service(slug):
    service = editing.service_for(current_user, slug)
    if not may_delete(service):
        abort(404)
    if request.method == "POST" and request.form.get("confirm") == "yes":
        name = service.name
        delete_draft(service, current_user)
        db.session.commit()
        flash(_("The draft ‘%(name)s’ was deleted.", name=name))
        return redirect(url_for("provider.dashboard"))
    return render_template("directory/portal_delete_draft.html", service=service)  # asked first, always

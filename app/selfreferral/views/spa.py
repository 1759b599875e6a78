"""The single point of access (/spa): the inbox, one referral's page and the actions taken on it."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import role_required
from app.core.requests import MAX_ID, int_arg, whole_number
from app.directory.models import Organisation
from app.extensions import db
from app.selfreferral import journey, spa
from app.selfreferral.views import no_store

spa_bp = Blueprint("spa", __name__, url_prefix="/spa", template_folder="../templates")
spa_bp.after_request(no_store)


@spa_bp.route("/")
@role_required("spa")
def inbox():
    filters = spa.InboxFilters.from_args(request.args)
    page = int_arg("page", 1, 1, 1000)
    pagination = spa.inbox(filters, page=page)
    spa.audit(current_user, "inbox_view", detail=f"page={page} results={pagination.total}")
    db.session.commit()
    return render_template("selfreferral/spa/inbox.html", pagination=pagination, filters=filters,
                           counts=spa.counts(), urgent=spa.urgent_untriaged(), is_overdue=spa.is_overdue,
                           teams=current_app.config["SPA_TEAMS"])


def _referral_or_404(reference):
    referral = spa.get_referral(reference)
    if referral is None or not spa.visible_to(current_user, referral):
        # Probing for references is worth knowing about; the typed text is cut short, it is not trusted.
        spa.audit_denied(current_user, reference, referral)
        db.session.commit()
        abort(404)
    return referral


@spa_bp.route("/referrals/<reference>")
@role_required("spa", "partner")
def referral_page(reference):
    referral = _referral_or_404(reference)
    spa.audit(current_user, "view", referral)
    db.session.commit()
    partners = db.session.execute(select(Organisation).order_by(Organisation.name)).scalars().all() \
        if current_user.has_role("spa") else []
    return render_template("selfreferral/spa/referral.html", referral=referral, answers=referral.answers,
                           overdue=spa.is_overdue(referral), partners=partners,
                           teams=current_app.config["SPA_TEAMS"], read_only=not current_user.has_role("spa"),
                           sections=journey.summary_sections({**referral.answers, "_completed": journey.STEP_NAMES}),
                           error=request.args.get("error"))


def _act(reference, action):
    referral = _referral_or_404(reference)
    try:
        message = action(referral)
    except spa.ActionError as exc:
        db.session.rollback()
        return render_template("selfreferral/spa/action_error.html", referral=referral, message=str(exc)), 400
    db.session.commit()
    if message:
        flash(message)
    return redirect(url_for("spa.referral_page", reference=referral.reference))


@spa_bp.route("/referrals/<reference>/triage", methods=["POST"])
@role_required("spa")
def triage(reference):
    return _act(reference, lambda r: spa.triage(r, current_user, request.form.get("colour"),
                                                request.form.get("reason", "")) or _("Triage saved."))


@spa_bp.route("/referrals/<reference>/assign", methods=["POST"])
@role_required("spa")
def assign(reference):
    return _act(reference, lambda r: spa.assign(r, current_user, request.form.get("team")) or _("Team assigned."))


@spa_bp.route("/referrals/<reference>/contact", methods=["POST"])
@role_required("spa")
def contact(reference):
    return _act(reference, lambda r: spa.log_contact(r, current_user, request.form.get("method"),
                                                     request.form.get("result"), request.form.get("note", ""))
                and _("Contact attempt recorded."))


@spa_bp.route("/referrals/<reference>/update", methods=["POST"])
@role_required("spa")
def send_update(reference):
    def action(referral):
        update = spa.send_update(referral, current_user, request.form.get("method"))
        db.session.commit()  # kept even if sending now fails: the outbox tries again later
        return _("Update e-mailed.") if update.method == "email" else _("Update added as a task to do by hand.")
    return _act(reference, action)


@spa_bp.route("/referrals/<reference>/updates/<int:update_id>/done", methods=["POST"])
@role_required("spa")
def update_done(reference, update_id):
    def action(referral):
        update = next((u for u in referral.updates if u.id == update_id), None)
        if update is None:
            abort(404)
        spa.mark_update_done(update, current_user)
        return _("Marked as done.")
    return _act(reference, action)


@spa_bp.route("/referrals/<reference>/share", methods=["POST"])
@role_required("spa")
def share(reference):
    def action(referral):
        org_id = whole_number(request.form.get("organisation"), 1, MAX_ID)
        org = db.session.get(Organisation, org_id) if org_id else None
        spa.share(referral, current_user, org)
        return _("Shared with %(name)s.", name=org.name)
    return _act(reference, action)


@spa_bp.route("/referrals/<reference>/close", methods=["POST"])
@role_required("spa")
def close(reference):
    return _act(reference, lambda r: spa.close(r, current_user, request.form.get("outcome"),
                                               request.form.get("detail", "")) or _("Referral closed."))


@spa_bp.route("/referrals/<reference>/reopen", methods=["POST"])
@role_required("spa")
def reopen(reference):
    return _act(reference, lambda r: spa.reopen(r, current_user) or _("Referral reopened."))


@spa_bp.route("/shared")
@role_required("partner")
def shared():
    referrals = spa.shared_with(current_user)
    spa.audit(current_user, "shared_list_view", detail=f"results={len(referrals)}")
    db.session.commit()
    return render_template("selfreferral/spa/shared.html", referrals=referrals)

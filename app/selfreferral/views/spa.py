"""The single point of access (/spa): the inbox, one referral's page and the actions taken on it."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import role_required
from app.core.requests import MAX_ID, int_arg, whole_number
from app.directory.models import Organisation
from app.extensions import db
from app.selfreferral import contact_wishes, journey, record, sharing, spa
from app.selfreferral.views import no_store

spa_bp = Blueprint("spa", __name__, url_prefix="/spa", template_folder="../templates")
spa_bp.after_request(no_store)


@spa_bp.route("/")
@role_required("spa")
def inbox():
    filters = spa.InboxFilters.from_args(request.args)
    page = int_arg("page", 1, 1, 1000)
    pagination = spa.inbox(filters, page=page)
    if filters.search:  # the term itself is personal data: only its kind is logged
        spa.audit(current_user, "inbox_search", detail=f"kind={pagination.kind} page={page} results={pagination.total}")
    else:
        spa.audit(current_user, "inbox_view", detail=f"page={page} results={pagination.total}")
    db.session.commit()
    return render_template("selfreferral/spa/inbox.html", pagination=pagination, filters=filters,
                           counts=spa.counts(), urgent=spa.urgent_untriaged(), is_overdue=spa.is_overdue,
                           teams=current_app.config["SPA_TEAMS"], people=record.headers(pagination.items),
                           partner_outcomes=sharing.latest_outcomes(pagination.items))


def _referral_or_404(reference):
    referral = spa.get_referral(reference)
    if referral is None or not spa.visible_to(current_user, referral):
        # Probing for references is worth knowing about; the typed text is cut short, it is not trusted.
        spa.audit_denied(current_user, reference, referral)
        db.session.commit()
        abort(404)
    return referral


# Where the error summary links to, for fields whose first input has an id of its own.
ANCHORS = {"colour": "colour-red", "outcome": "outcome-supported", "partner-outcome": "partner-outcome-accepted"}
SECTIONS = {"update": "updates-title", "partner-outcome": "partner-outcome-title"}  # errors about no one field


def _render_record(referral, failed=None, error=None):
    """The record page; after a refused action, with the error and what was typed in that form kept."""
    spa.audit(current_user, "view", referral)
    db.session.commit()
    field = getattr(error, "field", None)
    anchor = ANCHORS.get(field, field or SECTIONS.get(failed, f"{failed}-title"))
    errors = [(anchor, str(error))] if error is not None else []
    context = dict(referral=referral, failed=failed, errors=errors, error_field=field,
                   kept=request.form if failed else {}, warnings=getattr(error, "warnings", []),
                   person=record.header(referral))
    if not current_user.has_role("spa"):  # a partner: the minimum they need, from sharing.partner_view only
        return render_template("selfreferral/spa/partner_referral.html", view=sharing.partner_view(referral,
                               current_user), **context)
    partners = db.session.execute(select(Organisation).order_by(Organisation.name)).scalars().all()
    answers = referral.answers
    return render_template("selfreferral/spa/referral.html", answers=answers, overdue=spa.is_overdue(referral),
                           partners=partners, teams=current_app.config["SPA_TEAMS"],
                           contact=contact_wishes.window(referral, answers), record=record,
                           attempt_days=len(spa.attempt_days(referral)),
                           sections=journey.summary_sections({**answers, "_completed": journey.STEP_NAMES}),
                           **context)


@spa_bp.route("/referrals/<reference>")
@role_required("spa", "partner")
def referral_page(reference):
    return _render_record(_referral_or_404(reference))


def _act(reference, action, failed):
    referral = _referral_or_404(reference)
    try:
        message = action(referral)
    except spa.ActionError as exc:
        db.session.rollback()
        return _render_record(referral, failed=failed, error=exc), 400
    db.session.commit()
    if message:
        flash(message)
    return redirect(url_for("spa.referral_page", reference=referral.reference))


@spa_bp.route("/referrals/<reference>/triage", methods=["POST"])
@role_required("spa")
def triage(reference):
    return _act(reference, lambda r: spa.triage(r, current_user, request.form.get("colour"),
                                                request.form.get("reason", "")) or _("Triage saved."), "triage")


@spa_bp.route("/referrals/<reference>/assign", methods=["POST"])
@role_required("spa")
def assign(reference):
    return _act(reference, lambda r: spa.assign(r, current_user, request.form.get("team")) or _("Team assigned."),
                "assign")


@spa_bp.route("/referrals/<reference>/contact", methods=["POST"])
@role_required("spa")
def contact(reference):
    return _act(reference, lambda r: spa.log_contact(r, current_user, request.form.get("method"),
                                                     request.form.get("result"), request.form.get("note", ""),
                                                     confirmed=request.form.get("anyway") == "yes")
                and _("Contact attempt recorded."), "contact")


@spa_bp.route("/referrals/<reference>/update", methods=["POST"])
@role_required("spa")
def send_update(reference):
    def action(referral):
        update = spa.send_update(referral, current_user, request.form.get("method"))
        db.session.commit()  # kept even if sending now fails: the outbox tries again later
        return _("Update e-mailed.") if update.method == "email" else _("Update added as a task to do by hand.")
    return _act(reference, action, "update")


@spa_bp.route("/referrals/<reference>/updates/<int:update_id>/done", methods=["POST"])
@role_required("spa")
def update_done(reference, update_id):
    def action(referral):
        update = next((u for u in referral.updates if u.id == update_id), None)
        if update is None:
            abort(404)
        spa.mark_update_done(update, current_user)
        return _("Marked as done.")
    return _act(reference, action, "update")


@spa_bp.route("/referrals/<reference>/share", methods=["POST"])
@role_required("spa")
def share(reference):
    def action(referral):
        org_id = whole_number(request.form.get("organisation"), 1, MAX_ID)
        org = db.session.get(Organisation, org_id) if org_id else None
        spa.share(referral, current_user, org, request.form.get("reason", ""))
        return _("Shared with %(name)s.", name=org.name)
    return _act(reference, action, "share")


@spa_bp.route("/referrals/<reference>/close", methods=["POST"])
@role_required("spa")
def close(reference):
    return _act(reference, lambda r: spa.close(r, current_user, request.form.get("outcome"),
                                               request.form.get("detail", "")) or _("Referral closed."), "close")


@spa_bp.route("/referrals/<reference>/reopen", methods=["POST"])
@role_required("spa")
def reopen(reference):
    return _act(reference, lambda r: spa.reopen(r, current_user) or _("Referral reopened."), "close")


@spa_bp.route("/referrals/<reference>/outcome", methods=["POST"])
@role_required("partner")
def partner_outcome(reference):
    """A partner reports back what happened: SPA staff see it on the record and in the inbox."""
    return _act(reference, lambda r: sharing.record_outcome(r, current_user, request.form.get("outcome"),
                                                            request.form.get("note", ""))
                and _("Thank you. The single point of access can now see what happened."), "partner-outcome")


@spa_bp.route("/shared")
@role_required("partner")
def shared():
    referrals = spa.shared_with(current_user)
    spa.audit(current_user, "shared_list_view", detail=f"results={len(referrals)}")
    db.session.commit()
    return render_template("selfreferral/spa/shared.html", referrals=referrals)

"""Providers joining (/join, /invitations/..., /manage/invite, /manage/invitations, /manage/requests): asking to
look after a group's listing, the directory team's decision and invitation (sent again if need be), and accepting
it."""
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.accounts import services as accounts
from app.accounts.permissions import role_required
from app.core import limits
from app.core.db import utcnow
from app.directory.models import Invitation, JoinRequest, Organisation
from app.directory.provider import onboarding
from app.directory.provider.onboarding_forms import AcceptInvitationForm, InviteForm, JoinForm
from app.extensions import db

onboarding_bp = Blueprint("onboarding", __name__, template_folder="templates")
MANAGERS = ("manager", "admin")


def _form_page(template, form, **context):
    return render_template(template, form=form, **context), (400 if form.errors else 200)


def _organisations():
    return db.session.execute(select(Organisation).order_by(Organisation.name)).scalars().all()


@onboarding_bp.route("/manage/invite", methods=["GET", "POST"])
@role_required(*MANAGERS)
def invite():
    form = InviteForm()
    orgs = _organisations()
    form.organisations.choices = [SelectChoice(str(o.id), o.name) for o in orgs]
    if form.validate_on_submit():
        chosen = [o for o in orgs if str(o.id) in (form.organisations.data or [])]
        try:
            onboarding.invite(current_user, form.email.data, chosen)
        except onboarding.OnboardingError as exc:
            form.email.errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=accounts.normalise_email(form.email.data)))
            return redirect(url_for("manage.dashboard"))
    return _form_page("directory/onboarding/invite.html", form)


def _invitations_page(problem=None, status=200):
    rows = [(invitation, onboarding.organisations_of(invitation)) for invitation in onboarding.pending_invitations()]
    return render_template("directory/onboarding/invitations.html", rows=rows, problem=problem,
                           days=onboarding.INVITATION_DAYS, expired_before=utcnow() - timedelta(
                               days=onboarding.INVITATION_DAYS)), status


@onboarding_bp.route("/manage/invitations")
@role_required(*MANAGERS)
def invitations():
    return _invitations_page()


@onboarding_bp.route("/manage/invitations/<int:invitation_id>/resend", methods=["POST"])
@role_required(*MANAGERS)
def resend_invitation(invitation_id):
    invitation = db.get_or_404(Invitation, invitation_id)
    try:
        onboarding.resend(invitation, current_user)
    except onboarding.OnboardingError as exc:
        db.session.rollback()
        return _invitations_page((invitation.id, str(exc)), 400)
    db.session.commit()
    flash(_("Invitation sent again to %(email)s. The link in the earlier e-mail no longer works.",
            email=invitation.email))
    return redirect(url_for("onboarding.invitations"))


@onboarding_bp.route("/invitations/<token>", methods=["GET", "POST"])
@limits.emailed_link()
def accept_invitation(token):
    try:
        invitation = onboarding.invitation_from(token[:500])
    except onboarding.OnboardingError as exc:
        return render_template("accounts/link_problem.html", message=str(exc)), 400
    existing = accounts.find_user_by_email(invitation.email)
    if existing is not None:  # an existing user only confirms, with the page's CSRF token
        if request.method == "POST":
            onboarding.accept(invitation, existing.name, "")
            db.session.commit()
            flash(_("Done. Sign in to see your listings."))
            return redirect(url_for("accounts.login"))
        return render_template("directory/onboarding/accept_invitation.html", invitation=invitation,
                               existing=existing)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = onboarding.accept(invitation, form.name.data, form.password.data)
        except onboarding.OnboardingError as exc:
            form.password.errors = [str(exc)]
        else:
            db.session.commit()
            login_user(user)
            flash(_("Welcome. Here are your listings."))
            return redirect(url_for("provider.dashboard"))
    return _form_page("directory/onboarding/accept_invitation.html", form, invitation=invitation, existing=None)


@onboarding_bp.route("/join", methods=["GET", "POST"])
@limits.join_request()
def join():
    form = JoinForm()
    orgs = _organisations()
    form.organisation.choices = [SelectChoice("", _("My group is not listed"))] + [
        SelectChoice(o.slug, o.name) for o in orgs]
    if request.method == "GET" and request.args.get("organisation"):
        form.organisation.data = request.args.get("organisation")[:120]
    if form.validate_on_submit():
        organisation = next((o for o in orgs if o.slug == form.organisation.data), None)
        try:
            onboarding.request_to_join(form.name.data, form.email.data, form.role_at_org.data, organisation,
                                       form.proposed_name.data, form.proposed_details.data, form.message.data)
        except onboarding.OnboardingError as exc:
            form.proposed_name.errors = [str(exc)]
        else:
            db.session.commit()
            return render_template("directory/onboarding/join_sent.html")
    return _form_page("directory/onboarding/join.html", form)


@onboarding_bp.route("/manage/requests")
@role_required(*MANAGERS)
def join_requests():
    return _requests_page()


def _requests_page(error_for=None, error=None, reason=""):
    pending = db.session.execute(select(JoinRequest).order_by(JoinRequest.status.desc(),
                                                              JoinRequest.created_at)).scalars().all()
    return render_template("directory/onboarding/join_requests.html", requests=pending, error_for=error_for,
                           error=error, typed_reason=reason, reason_max=onboarding.REASON_MAX)


@onboarding_bp.route("/manage/requests/<int:request_id>/<decision>", methods=["POST"])
@role_required(*MANAGERS)
def decide_request(request_id, decision):
    join_request = db.session.get(JoinRequest, request_id)
    if join_request is None or decision not in ("approve", "decline"):
        abort(404)
    try:
        if decision == "approve":
            onboarding.approve_request(join_request, current_user)
            message = _("Approved. An invitation has been e-mailed to %(email)s.", email=join_request.email)
        else:
            reason = request.form.get("reason", "")
            problem = onboarding.decline_problem(reason) if join_request.status == "pending" else None
            if problem:  # back to the list, the error on this request's form, what was typed kept
                return _requests_page(error_for=join_request.id, error=problem, reason=reason), 400
            onboarding.decline_request(join_request, current_user, reason)
            message = _("Declined. The reason has been e-mailed.")
    except onboarding.OnboardingError as exc:
        db.session.rollback()
        return render_template("accounts/link_problem.html", message=str(exc)), 400
    db.session.commit()
    flash(message)
    return redirect(url_for("onboarding.join_requests"))

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app.accounts import services
from app.accounts import onboarding
from app.accounts.forms import (AcceptInvitationForm, ChangePasswordForm, EmailOnlyForm, InviteForm, JoinForm,
                                LoginForm, NewPasswordForm)
from app.accounts.onboarding_models import JoinRequest
from app.directory.models import Organisation
from app.accounts.models import User
from app.accounts.permissions import role_required
from app.core.security import safe_next
from app.extensions import db, limiter, login_manager

bp = Blueprint("accounts", __name__, template_folder="templates")
admin_bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

login_manager.login_view = "accounts.login"
login_manager.session_protection = "strong"


@login_manager.user_loader
def _load_user(user_id):
    return services.load_user(user_id)


@login_manager.unauthorized_handler
def _unauthorized():
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def home_for(user):
    for role, endpoint in (("spa", "spa.inbox"), ("partner", "spa.shared"), ("manager", "manage.dashboard"), ("provider", "provider.dashboard"),
                           ("translator", "i18n.dashboard"), ("admin", "admin.users")):
        if user.has_role(role):
            return url_for(endpoint)
    return url_for("directory.home")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user:
            db.session.commit()
            session.permanent = True  # so PERMANENT_SESSION_LIFETIME ends idle sessions
            login_user(user)
            return redirect(safe_next(request.args.get("next"), home_for(user)))
        failed = True
    return render_template("accounts/login.html", form=form, failed=failed), (200 if not failed else 401)


@bp.route("/account")
@login_required
def account_home():
    return redirect(home_for(current_user))


@bp.route("/sign-out", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("You have signed out."))
    return redirect(url_for("directory.home"))


@admin_bp.route("/")
@role_required("admin")
def users():
    all_users = db.session.execute(select(User).order_by(User.email)).scalars().all()
    from app.accounts.models import ROLE_LABELS
    return render_template("accounts/users.html", users=all_users, role_labels=ROLE_LABELS)


@admin_bp.route("/audit")
@role_required("admin")
def audit_log():
    from app.core.audit import AuditEvent
    try:
        page = min(max(int(request.args.get("page", 1)), 1), 10_000)
    except (TypeError, ValueError):
        page = 1
    events = db.paginate(select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()), page=page,
                         per_page=100, error_out=False)
    return render_template("accounts/audit.html", events=events)


def _form_page(template, form, status=None, **context):
    return render_template(template, form=form, **context), (status or (400 if form.errors else 200))


@bp.route("/manage/invite", methods=["GET", "POST"])
@role_required("manager", "admin")
def invite():
    form = InviteForm()
    orgs = db.session.execute(select(Organisation).order_by(Organisation.name)).scalars().all()
    from wtforms.fields.choices import SelectChoice
    form.organisations.choices = [SelectChoice(str(o.id), o.name) for o in orgs]
    if form.validate_on_submit():
        chosen = [o for o in orgs if str(o.id) in (form.organisations.data or [])]
        try:
            onboarding.invite(current_user, form.email.data, chosen)
        except onboarding.OnboardingError as exc:
            form.email.errors = [str(exc)]
        else:
            flash(_("Invitation sent to %(email)s.", email=services.normalise_email(form.email.data)))
            return redirect(url_for("manage.dashboard"))
    return _form_page("accounts/invite.html", form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def accept_invitation(token):
    try:
        invitation = onboarding.invitation_from(token[:500])
    except onboarding.OnboardingError as exc:
        return render_template("accounts/link_problem.html", message=str(exc)), 400
    existing = services.find_user_by_email(invitation.email)
    if existing is not None:  # an existing user only confirms, with the page's CSRF token
        if request.method == "POST":
            onboarding.accept(invitation, existing.name, "")
            flash(_("Done. Sign in to see your listings."))
            return redirect(url_for("accounts.login"))
        return render_template("accounts/accept_invitation.html", invitation=invitation, existing=existing)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = onboarding.accept(invitation, form.name.data, form.password.data)
        except onboarding.OnboardingError as exc:
            form.password.errors = [str(exc)]
        else:
            login_user(user)
            flash(_("Welcome. Here are your listings."))
            return redirect(url_for("provider.dashboard"))
    return _form_page("accounts/accept_invitation.html", form, invitation=invitation, existing=None)


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        onboarding.request_reset(form.email.data)
        return render_template("accounts/reset_sent.html")
    return _form_page("accounts/forgot_password.html", form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def reset_password(token):
    try:
        user = onboarding.user_for_reset(token[:500])
    except onboarding.OnboardingError as exc:
        return render_template("accounts/link_problem.html", message=str(exc)), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            onboarding.set_password(user, form.password.data)
        except onboarding.OnboardingError as exc:
            form.password.errors = [str(exc)]
        else:
            flash(_("Your password has been changed, and you have been signed out everywhere. Sign in again."))
            return redirect(url_for("accounts.login"))
    return _form_page("accounts/reset_password.html", form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            onboarding.change_password(current_user, form.current.data, form.password.data)
        except onboarding.OnboardingError as exc:
            form[exc.field or "password"].errors = [str(exc)]
        else:
            login_user(current_user._get_current_object())  # this session continues with the new token
            flash(_("Your password has been changed. Other devices have been signed out."))
            return redirect(home_for(current_user))
    return _form_page("accounts/change_password.html", form)


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def join():
    form = JoinForm()
    orgs = db.session.execute(select(Organisation).order_by(Organisation.name)).scalars().all()
    from wtforms.fields.choices import SelectChoice
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
            return render_template("accounts/join_sent.html")
    return _form_page("accounts/join.html", form)


@bp.route("/manage/requests")
@role_required("manager", "admin")
def join_requests():
    pending = db.session.execute(select(JoinRequest).order_by(JoinRequest.status.desc(),
                                                              JoinRequest.created_at)).scalars().all()
    return render_template("accounts/join_requests.html", requests=pending)


@bp.route("/manage/requests/<int:request_id>/<decision>", methods=["POST"])
@role_required("manager", "admin")
def decide_request(request_id, decision):
    join_request = db.session.get(JoinRequest, request_id)
    if join_request is None or decision not in ("approve", "decline"):
        abort(404)
    try:
        if decision == "approve":
            onboarding.approve_request(join_request, current_user)
            flash(_("Approved. An invitation has been e-mailed to %(email)s.", email=join_request.email))
        else:
            onboarding.decline_request(join_request, current_user, request.form.get("reason", ""))
            flash(_("Declined. The reason has been e-mailed."))
    except onboarding.OnboardingError as exc:
        db.session.rollback()
        return render_template("accounts/link_problem.html", message=str(exc)), 400
    return redirect(url_for("accounts.join_requests"))

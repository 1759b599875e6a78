"""Signing in and out, passwords, and the administrator's pages (/admin/)."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app.accounts import audit_log as audit_log_service
from app.accounts import services
from app.accounts.forms import (
    ActiveForm,
    ChangePasswordForm,
    EmailOnlyForm,
    LoginForm,
    NewPasswordForm,
    OrganisationForm,
    RoleForm,
)
from app.accounts.models import ROLE_LABELS, User
from app.accounts.permissions import role_required, sign_in_again
from app.core import audit, limits, mail
from app.core.requests import int_arg
from app.core.security import safe_next
from app.extensions import db, login_manager

bp = Blueprint("accounts", __name__, template_folder="templates")
admin_bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

login_manager.login_view = "accounts.login"
login_manager.session_protection = "strong"


@login_manager.user_loader
def _load_user(user_id):
    return services.load_user(user_id)


@login_manager.unauthorized_handler
def _unauthorized():
    return sign_in_again()


HOMES = (("spa", "spa.inbox"), ("partner", "spa.shared"), ("manager", "manage.dashboard"),
         ("provider", "provider.dashboard"), ("translator", "i18n.dashboard"), ("admin", "admin.users"))


def home_for(user):
    for role, endpoint in HOMES:
        if user.has_role(role):
            return url_for(endpoint)
    return url_for("directory.home")


@bp.route("/sign-in", methods=["GET", "POST"])
@limits.sign_in()
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    failed = closed = False
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.AccountClosed:
            user, closed = None, True
        db.session.commit()  # the sign-in, or the failed attempt, is audited
        if user:
            session.permanent = True  # so PERMANENT_SESSION_LIFETIME ends idle sessions
            login_user(user)
            return redirect(safe_next(request.args.get("next"), home_for(user)))
        failed = True
    notice = request.method == "GET" and session.pop("signed_out_notice", False)
    return render_template("accounts/login.html", form=form, failed=failed, closed=closed, session_ended=notice), \
        (200 if not failed else 401)


@bp.route("/account")
@login_required
def account_home():
    return redirect(home_for(current_user))


@bp.route("/sign-out", methods=["POST"])
@login_required
def logout():
    services.sign_out(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You have signed out."))
    return redirect(url_for("directory.home"))


@admin_bp.route("/")
@role_required("admin")
def users():
    all_users = db.session.execute(select(User).order_by(User.email)).scalars().all()
    return render_template("accounts/users.html", users=all_users, role_labels=ROLE_LABELS)


def _user_page(user, problem=None, role_form=None, status=200):
    return render_template("accounts/user.html", user=user, role_labels=ROLE_LABELS, problem=problem,
                           role_form=role_form or RoleForm(formdata=None)), status


@admin_bp.route("/users/<int:user_id>")
@role_required("admin")
def user_page(user_id):
    return _user_page(db.get_or_404(User, user_id))


def _change(user, form, anchor, apply):
    """Validate one button's form, apply it (it returns the confirmation), commit once, back to the page."""
    shown = form if anchor == "role" else None  # only the add-role form is shown with its answer
    if not form.validate_on_submit():
        return _user_page(user, (next(iter(form.errors.values()))[0], anchor), shown, 400)
    try:
        done = apply(form.data)
    except services.AccountError as exc:
        return _user_page(user, (str(exc), anchor), shown, 400)
    db.session.commit()
    if user.id == current_user.id:
        login_user(user)  # removing one of one's own roles rotated the token: this session carries on
    flash(done)
    return redirect(url_for("admin.user_page", user_id=user.id))


def _confirm_page(user, kind, action, fields, organisation=None):
    # The question's words are in the template, where the address can be kept left to right in Arabic.
    return render_template("accounts/confirm.html", user=user, kind=kind, action=action, fields=fields,
                           organisation=organisation)


def _confirmed():
    # Deactivating and removing are asked twice (GOV.UK's confirmation page): the second answer carries this.
    return request.form.get("confirm") == "yes"


@admin_bp.route("/users/<int:user_id>/deactivate")
@role_required("admin")
def confirm_deactivate(user_id):
    user = db.get_or_404(User, user_id)
    if not user.active:
        return redirect(url_for("admin.user_page", user_id=user.id))
    return _confirm_page(user, "deactivate", url_for("admin.set_active", user_id=user.id), {"active": "no"})


@admin_bp.route("/users/<int:user_id>/active", methods=["POST"])
@role_required("admin")
def set_active(user_id):
    user = db.get_or_404(User, user_id)
    if request.form.get("active") == "no" and not _confirmed():
        return redirect(url_for("admin.confirm_deactivate", user_id=user.id), 303)

    def apply(data):
        services.set_active(user, data["active"] == "yes", actor=current_user)
        if user.active:
            return _("Reactivated %(email)s. They can sign in again.", email=user.email)
        return _("Deactivated %(email)s. Their sessions have ended.", email=user.email)
    return _change(user, ActiveForm(), "status", apply)


@admin_bp.route("/users/<int:user_id>/roles", methods=["POST"])
@role_required("admin")
def add_role(user_id):
    user = db.get_or_404(User, user_id)

    def apply(data):
        services.add_role(user, data["role"], actor=current_user)
        return _("Gave %(email)s the role %(role)s.", email=user.email, role=ROLE_LABELS[data["role"]])
    return _change(user, RoleForm(), "role", apply)


@admin_bp.route("/users/<int:user_id>/roles/remove", methods=["POST"])
@role_required("admin")
def remove_role(user_id):
    user = db.get_or_404(User, user_id)

    def apply(data):
        services.remove_role(user, data["role"], actor=current_user)
        return _("Removed the role %(role)s from %(email)s. Their sessions have ended.",
                 role=ROLE_LABELS[data["role"]], email=user.email)
    return _change(user, RoleForm(), "roles", apply)


@admin_bp.route("/users/<int:user_id>/organisations/<int:organisation_id>/remove")
@role_required("admin")
def confirm_remove_organisation(user_id, organisation_id):
    user = db.get_or_404(User, user_id)
    org = next((o for o in user.organisations if o.id == organisation_id), None)
    if org is None:
        abort(404)
    return _confirm_page(user, "remove_organisation", url_for("admin.remove_organisation", user_id=user.id),
                         {"organisation": org.id}, organisation=org)


@admin_bp.route("/users/<int:user_id>/organisations/remove", methods=["POST"])
@role_required("admin")
def remove_organisation(user_id):
    user = db.get_or_404(User, user_id)
    if not _confirmed():
        organisation_id = int_arg("organisation", 0, 0, 2**31 - 1, request.form)
        if any(o.id == organisation_id for o in user.organisations):
            return redirect(url_for("admin.confirm_remove_organisation", user_id=user.id,
                                    organisation_id=organisation_id), 303)

    def apply(data):
        org = next((o for o in user.organisations if o.id == data["organisation"]), None)
        if org is None:
            raise services.AccountError(_("Choose an organisation this user looks after"))
        services.remove_organisation(user, org, actor=current_user)
        return _("%(email)s no longer looks after %(name)s.", email=user.email, name=org.name)
    return _change(user, OrganisationForm(), "organisations", apply)


@admin_bp.route("/audit")
@role_required("admin")
def audit_log():
    filters = audit_log_service.AuditFilters.from_args(request.args)
    page = int_arg("page", 1, 1, 10_000)
    events = audit_log_service.page(filters, page)
    audit.log("audit_view", current_user, detail=f"page={page} {filters.detail}".strip())
    db.session.commit()
    return render_template("accounts/audit.html", events=events, filters=filters, users=audit_log_service.users(),
                           action_labels=audit_log_service.ACTION_LABELS,
                           action_label=audit_log_service.action_label), (400 if filters.errors else 200)


@admin_bp.route("/audit.csv")
@role_required("admin")
def audit_export():
    filters = audit_log_service.AuditFilters.from_args(request.args)
    if filters.errors:
        # Never download other rows than the ones asked for: show the page and its errors instead.
        return redirect(url_for("admin.audit_log", **{k: v for k, v in filters.typed.items() if v}))
    body = audit_log_service.csv_body(filters)
    audit.log("audit_export", current_user, detail=filters.detail)
    db.session.commit()
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'})


def _form_page(template, form, **context):
    return render_template(template, form=form, **context), (400 if form.errors else 200)


@bp.route("/reset-password", methods=["GET", "POST"])
@limits.password_reset()
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        # Looked up, queued and sent after the page is delivered: the answer takes as long for any address.
        mail.after_response(services.request_reset, form.email.data)
        return render_template("accounts/reset_sent.html")
    return _form_page("accounts/forgot_password.html", form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limits.emailed_link()
def reset_password(token):
    try:
        user = services.user_for_reset(token[:500])
    except services.AccountError as exc:
        return render_template("accounts/link_problem.html", message=str(exc)), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user, form.password.data, action="password_reset")
        except services.AccountError as exc:
            form.password.errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("Your password has been changed, and you have been signed out everywhere. Sign in again."))
            return redirect(url_for("accounts.login"))
    return _form_page("accounts/reset_password.html", form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.password.data)
        except services.AccountError as exc:
            form[exc.field or "password"].errors = [str(exc)]
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # this session continues with the new token
            flash(_("Your password has been changed. Other devices have been signed out."))
            return redirect(home_for(current_user))
    return _form_page("accounts/change_password.html", form)

"""Signing in and out, passwords, and the administrator's pages (/admin/)."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app.accounts import services
from app.accounts.forms import ChangePasswordForm, EmailOnlyForm, LoginForm, NewPasswordForm
from app.accounts.models import ROLE_LABELS, User
from app.accounts.permissions import role_required
from app.core import limits, mail
from app.core.audit import AuditEvent
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
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


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
    services.end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You have signed out."))
    return redirect(url_for("directory.home"))


@admin_bp.route("/")
@role_required("admin")
def users():
    all_users = db.session.execute(select(User).order_by(User.email)).scalars().all()
    return render_template("accounts/users.html", users=all_users, role_labels=ROLE_LABELS)


@admin_bp.route("/audit")
@role_required("admin")
def audit_log():
    page = int_arg("page", 1, 1, 10_000)
    events = db.paginate(select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()), page=page,
                         per_page=100, error_out=False)
    return render_template("accounts/audit.html", events=events)


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
            services.set_password(user, form.password.data)
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

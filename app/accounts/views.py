from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app.accounts import services
from app.accounts.forms import LoginForm
from app.accounts.models import User
from app.accounts.permissions import role_required
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


def _safe_next(target):
    """Only ever redirect within this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


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
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
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
    return render_template("accounts/users.html", users=all_users)


@admin_bp.route("/audit")
@role_required("admin")
def audit_log():
    from app.selfreferral.models import AuditEvent
    try:
        page = min(max(int(request.args.get("page", 1)), 1), 10_000)
    except (TypeError, ValueError):
        page = 1
    events = db.paginate(select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()), page=page,
                         per_page=100, error_out=False)
    return render_template("accounts/audit.html", events=events)

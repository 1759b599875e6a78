"""Account rules: creating users, signing in, and choosing, resetting or changing a password."""
import functools
import secrets

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy import func, select

from app.accounts import links
from app.accounts.models import ROLES, User, UserRole
from app.accounts.passwords import MIN_PASSWORD_LENGTH, hash_password, needs_rehash, password_problems, verify_password
from app.core import audit, validation
from app.core.db import utcnow
from app.extensions import db

RESET_MINUTES = 60


class AccountClosed(Exception):
    """The right password for a deactivated account: said only to someone who knows the password."""


class AccountError(ValueError):
    """A reason to show the person; `field` names the form field it is about, when there is one."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def normalise_email(email):
    return (email or "").strip().lower()


def find_user_by_email(email):
    return db.session.execute(select(User).where(func.lower(User.email) == normalise_email(email))).scalar_one_or_none()


def create_user(email, password, roles, name="", organisations=()):
    email = validation.email(email)
    if email is None:
        raise AccountError("Enter an email address in the correct format, like name@example.com")
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise AccountError(f"Unknown role: {', '.join(sorted(unknown))}. Roles are: {', '.join(ROLES)}")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Password must be {MIN_PASSWORD_LENGTH} characters or more")
    if find_user_by_email(email):
        raise AccountError(f"A user with the email {email} already exists")
    user = User(email=email, name=name, password_hash=hash_password(password), session_token=secrets.token_hex(16))
    user.role_rows = [UserRole(role=role) for role in sorted(set(roles))]
    user.organisations = list(organisations)
    db.session.add(user)
    return user


def authenticate(email, password):
    """The active user with these credentials, or None. Takes the same time for unknown emails."""
    user = find_user_by_email(email)
    if user is None:
        verify_password(_dummy_hash(), password or "")
        # Not a user: the address is personal data, so only its keyed digest is kept.
        audit.log("sign_in_failed", detail=f"unknown email={audit.email_digest(email)}")
        return None
    right = verify_password(user.password_hash, password or "")
    if not user.active or not right:
        audit.log("sign_in_failed", user, detail="inactive" if not user.active else "wrong password")
        if right:
            raise AccountClosed()
        return None
    audit.log("sign_in", user)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def load_user(user_id):
    try:
        raw_id, token = str(user_id).split(":", 1)
        user = db.session.get(User, int(raw_id))
    except (ValueError, TypeError):
        return None
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def end_sessions(user):
    """Sessions and remember-me cookies carry the token in their login id, so a new one ends every copy of
    them on the server (a cookie kept after signing out would otherwise still sign in)."""
    user.session_token = secrets.token_hex(16)


def _audit(actor, action, user, detail=""):
    # Ids, not emails: the audit log says who changed which account without copying personal data.
    audit.log(action, actor, detail=f"user={user.id}{' ' + detail if detail else ''}")


def sign_out(user):
    end_sessions(user)
    audit.log("sign_out", user)


def _is_last_active_admin(user):
    """Someone must always be able to manage accounts: the last active administrator stays one."""
    if not (user.active and user.has_role("admin")):
        return False
    others = db.session.execute(
        select(func.count(User.id)).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == "admin", User.active.is_(True), User.id != user.id)).scalar_one()
    return others == 0


def set_active(user, active, actor=None):
    if not active and actor is not None and actor.id == user.id:
        raise AccountError(_("You cannot deactivate your own account"))
    if not active and _is_last_active_admin(user):
        raise AccountError(_("You cannot deactivate the last active administrator. Give someone else the "
                             "administrator role first."))
    user.active = active
    if not active:
        end_sessions(user)
    _audit(actor, "user_activate" if active else "user_deactivate", user)


def add_role(user, role, actor=None):
    if role not in ROLES:
        raise AccountError(_("Choose a role"))
    if user.has_role(role):
        raise AccountError(_("%(email)s already has the role %(role)s", email=user.email, role=role))
    user.role_rows.append(UserRole(role=role))
    _audit(actor, "user_role_add", user, f"role={role}")


def remove_role(user, role, actor=None):
    """Ends the user's sessions, so a page already open cannot carry on with the old role."""
    row = next((r for r in user.role_rows if r.role == role), None)
    if row is None:
        raise AccountError(_("%(email)s does not have the role %(role)s", email=user.email, role=role))
    if role == "admin" and actor is not None and actor.id == user.id:
        raise AccountError(_("You cannot remove your own administrator role"))
    if role == "admin" and _is_last_active_admin(user):
        raise AccountError(_("You cannot remove the administrator role from the last active administrator. "
                             "Give someone else the role first."))
    user.role_rows.remove(row)
    end_sessions(user)
    _audit(actor, "user_role_remove", user, f"role={role}")


def add_organisation(user, organisation, actor=None):
    if organisation in user.organisations:
        raise AccountError(_("%(email)s already looks after %(name)s", email=user.email, name=organisation.name))
    user.organisations.append(organisation)
    _audit(actor, "user_org_add", user, f"organisation={organisation.id}")


def remove_organisation(user, organisation, actor=None):
    if organisation not in user.organisations:
        raise AccountError(_("%(email)s does not look after %(name)s", email=user.email, name=organisation.name))
    user.organisations.remove(organisation)
    _audit(actor, "user_org_remove", user, f"organisation={organisation.id}")


@functools.cache
def _dummy_hash():
    return hash_password(secrets.token_hex(8))


# Password reset: the link is signed, expires, and works once.

def request_reset(email):
    """Always behaves the same, whether or not the address has an account. Runs after the page is delivered
    (no request: the subject is lazy, rendered in the e-mail's language)."""
    user = find_user_by_email(email)
    audit.log("password_reset_request", user,
              detail="" if user else f"unknown email={audit.email_digest(email)}")
    if user is None or not user.active:
        return None
    token = links.serializer("reset").dumps({"u": user.id, "h": user.password_hash[-16:]})
    link = links.external_url("accounts.reset_password", token=token)
    links.send_email(user.email, _l("Reset your Hidden Gems password"), "accounts/email/reset.txt", link=link,
                     minutes=RESET_MINUTES)
    return link


def user_for_reset(token):
    try:
        data = links.serializer("reset").loads(token, max_age=RESET_MINUTES * 60)
    except SignatureExpired:
        raise AccountError(_("This link has expired. Ask for a new one.")) from None
    except BadSignature:
        raise AccountError(_("This link is not valid. Ask for a new one.")) from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    # The link carries part of the old password hash, so it stops working once used.
    if user is None or not user.active or user.password_hash[-16:] != data.get("h"):
        raise AccountError(_("This link has already been used or is not valid. Ask for a new one."))
    return user


def set_password(user, password, action="password_set"):
    problems = password_problems(password, user.email)
    if problems:
        raise AccountError(str(problems[0]), field="password")
    user.password_hash = hash_password(password)
    audit.log(action, user)
    end_sessions(user)  # the caller signs this browser in again with the new token


def change_password(user, current, new):
    if not verify_password(user.password_hash, current or ""):
        raise AccountError(_("Your current password is not right"), field="current")
    set_password(user, new, action="password_change")

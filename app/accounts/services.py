"""Account rules: creating users, signing in."""
import functools
import secrets

from sqlalchemy import func, select

from app.accounts.models import ROLES, User, UserRole
from app.accounts.passwords import hash_password, needs_rehash, verify_password
from app.extensions import db
from app.core.db import utcnow

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    pass


def normalise_email(email):
    return (email or "").strip().lower()


def find_user_by_email(email):
    return db.session.execute(select(User).where(func.lower(User.email) == normalise_email(email))).scalar_one_or_none()


def create_user(email, password, roles, name="", organisations=()):
    email = normalise_email(email)
    if not email or "@" not in email:
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
        return None
    if not user.active or not verify_password(user.password_hash, password or ""):
        return None
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
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user


@functools.cache
def _dummy_hash():
    return hash_password(secrets.token_hex(8))

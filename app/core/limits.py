"""Every rate limit in one place: the numbers are settings, the keys say who is counted.

An address is shared by a whole library or office (or a proxy), so it only gets a generous ceiling; the
tight limits count an account (sign-in, by the e-mail typed) or a browser session (referrals, reports).
"""
import hashlib
import secrets

from flask import current_app, request, session
from flask_limiter.util import get_remote_address

from app.extensions import limiter

# Setting name -> default (Flask-Limiter's notation). Each can be set in the environment.
DEFAULTS = {
    "RATELIMIT_SIGN_IN_PER_ACCOUNT": "10 per hour",
    "RATELIMIT_SIGN_IN_PER_ADDRESS": "30 per minute; 300 per hour",
    "RATELIMIT_RESET_PER_ACCOUNT": "5 per hour",
    "RATELIMIT_RESET_PER_ADDRESS": "60 per hour",
    "RATELIMIT_LINK_PER_ADDRESS": "20 per hour",
    "RATELIMIT_JOIN_PER_ADDRESS": "30 per hour",
    "RATELIMIT_REFERRAL_PER_SESSION": "5 per hour; 20 per day",
    "RATELIMIT_REFERRAL_PER_ADDRESS": "60 per hour; 300 per day",
    "RATELIMIT_SAVED_DRAFT_PER_EMAIL": "3 per hour; 10 per day",
    "RATELIMIT_SAVED_DRAFT_PER_ADDRESS": "30 per hour; 100 per day",
    "RATELIMIT_REPORT_PER_SESSION": "5 per hour; 20 per day",
    "RATELIMIT_REPORT_PER_ADDRESS": "60 per hour; 300 per day",
}
SESSION_KEY = "_limit_id"


def _setting(name):
    return lambda: current_app.config.get(name) or DEFAULTS[name]


def address_key():
    return "address:" + (get_remote_address() or "unknown")


def session_key():
    """A random id kept in this browser's session: dropping the cookie only leaves the address ceiling."""
    value = session.get(SESSION_KEY)
    if not isinstance(value, str) or len(value) > 64:
        value = session[SESSION_KEY] = secrets.token_urlsafe(16)
    return "session:" + value


def account_key():
    """The e-mail typed (the account tried), whichever address the attempt comes from."""
    email = (request.form.get("email") or "").strip().lower()[:254]
    if not email:
        return address_key()
    # Hashed: the limit store is no place for the addresses people type.
    return "account:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _failed(response):
    return response.status_code != 302  # a sign-in that worked redirects, and is not counted


def _succeeded(response):
    return response.status_code == 302


def _pair(name, tight_key, tight_setting, address_setting, deduct_when=None):
    """A decorator applying a tight limit (per account or session) and the per-address ceiling, POST only."""
    tight = limiter.limit(_setting(tight_setting), key_func=tight_key, scope=f"{name}-{tight_key.__name__}",
                          methods=["POST"], deduct_when=deduct_when)
    ceiling = limiter.limit(_setting(address_setting), key_func=address_key, scope=f"{name}-address",
                            methods=["POST"], deduct_when=deduct_when)
    return lambda view: ceiling(tight(view))


def sign_in():
    return _pair("sign-in", account_key, "RATELIMIT_SIGN_IN_PER_ACCOUNT", "RATELIMIT_SIGN_IN_PER_ADDRESS", _failed)


def password_reset():
    return _pair("reset", account_key, "RATELIMIT_RESET_PER_ACCOUNT", "RATELIMIT_RESET_PER_ADDRESS")


def referral():
    # Only referrals that were made count (a 302 to the confirmation page).
    return _pair("referral", session_key, "RATELIMIT_REFERRAL_PER_SESSION", "RATELIMIT_REFERRAL_PER_ADDRESS",
                 _succeeded)


def saved_draft_email():
    # Counted by the address the link is sent to (hashed), so the form cannot be used to flood someone's inbox.
    return _pair("saved-draft", account_key, "RATELIMIT_SAVED_DRAFT_PER_EMAIL", "RATELIMIT_SAVED_DRAFT_PER_ADDRESS",
                 _succeeded)


def problem_report():
    return _pair("report", session_key, "RATELIMIT_REPORT_PER_SESSION", "RATELIMIT_REPORT_PER_ADDRESS")


def emailed_link():
    """Pages opened from an e-mailed link (reset, invitation): the token is the secret, so count the address."""
    return limiter.limit(_setting("RATELIMIT_LINK_PER_ADDRESS"), key_func=address_key, methods=["POST"])


def join_request():
    return limiter.limit(_setting("RATELIMIT_JOIN_PER_ADDRESS"), key_func=address_key, methods=["POST"])

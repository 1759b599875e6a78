"""Password rules, and hashing (argon2id) at a cost from the settings, so tests can make it cheap."""
import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS = {"password123", "qwertyuiop", "1234567890", "letmein123", "password1234", "iloveyou12",
                    "welcome123", "abcdefghij", "passw0rd12", "1q2w3e4r5t", "qwerty1234", "trustno1234"}


@functools.lru_cache(maxsize=4)
def _hasher_with(time_cost, memory_cost):
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


def _hasher():
    config = current_app.config
    return _hasher_with(config["PASSWORD_HASH_TIME_COST"], config["PASSWORD_HASH_MEMORY_COST"])


def hash_password(password):
    return _hasher().hash(password)


def verify_password(password_hash, password):
    # The cost is read from the hash itself, so hashes made at another cost still verify.
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    return _hasher().check_needs_rehash(password_hash)


def password_problems(password, email=""):
    """Plain-English reasons a password is not acceptable (empty when it is)."""
    password = password or ""
    lowered = password.lower()
    local = (email or "").split("@")[0].lower()
    checks = (
        (len(password) < MIN_PASSWORD_LENGTH, _l("Password must be 10 characters or more")),
        (len(password) > 200, _l("Password must be 200 characters or fewer")),
        (lowered in COMMON_PASSWORDS or len(set(lowered)) < 4,
         _l("This password is too easy to guess. Try three or four random words")),
        (len(local) >= 4 and local in lowered, _l("Password must not contain your email address")),
    )
    return [message for failed, message in checks if failed]

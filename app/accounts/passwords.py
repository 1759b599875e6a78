"""Password hashing (argon2id). Its cost comes from the settings, so tests can make it cheap."""
import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


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

"""Encryption at rest for personal data (Fernet: AES-128-CBC with HMAC-SHA256, from `cryptography`).

Keys come from PERSONAL_DATA_KEYS: a comma-separated list, newest first. Every key in the list can
decrypt; only the first encrypts, so adding a new key at the front and running
`flask referrals rotate-key` re-encrypts everything under it.
"""
import json
import logging
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

log = logging.getLogger(__name__)


class DecryptionError(Exception):
    pass


def _keys():
    configured = current_app.config.get("PERSONAL_DATA_KEYS")
    if configured:
        return [k.strip() for k in configured.split(",") if k.strip()]
    # Development only: a key kept in the instance folder, created on first use.
    path = Path(current_app.config["INSTANCE_PATH"]) / "personal-data.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
        log.warning("PERSONAL_DATA_KEYS is not set: using a development key in the instance folder")
    return [path.read_text().strip()]


def _fernet():
    return MultiFernet([Fernet(key.encode()) for key in _keys()])


def encrypt(value):
    """Any JSON-serialisable value -> encrypted bytes."""
    return _fernet().encrypt(json.dumps(value, ensure_ascii=False).encode("utf-8"))


def decrypt(token):
    if token is None:
        return None
    try:
        return json.loads(_fernet().decrypt(bytes(token)).decode("utf-8"))
    except InvalidToken as exc:
        raise DecryptionError("personal data could not be decrypted with the configured keys") from exc


def rotate(token):
    """Re-encrypt under the newest key."""
    return _fernet().rotate(bytes(token))


# Every encrypted column, by model: key rotation walks this, so a column left out would be unreadable once the
# old key is retired. EncryptedField registers its column; a column written some other way uses `encrypted`.
REGISTRY = {}


def register(model, *columns):
    REGISTRY.setdefault(model, set()).update(columns)


def encrypted(*columns):
    """Class decorator for columns encrypted without an EncryptedField: `@crypto.encrypted("envelope")`."""
    def decorate(model):
        register(model, *columns)
        return model
    return decorate


def rotate_all(session):
    """Re-encrypt every registered column under the newest key (the caller commits). Returns values rewritten."""
    from sqlalchemy import select
    rewritten = 0
    for model, columns in sorted(REGISTRY.items(), key=lambda item: item[0].__name__):
        for row in session.execute(select(model)).scalars():
            for name in sorted(columns):
                value = getattr(row, name)
                if value is not None:
                    setattr(row, name, rotate(value))
                    rewritten += 1
    return rewritten


class EncryptedField:
    """A model attribute stored encrypted in another column: `answers = EncryptedField("answers_encrypted", {})`."""

    def __init__(self, column, empty=""):
        self.column, self.empty = column, empty

    def __set_name__(self, owner, name):
        register(owner, self.column)

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = decrypt(getattr(obj, self.column))
        return value if value else (type(self.empty)() if isinstance(self.empty, (dict, list)) else self.empty)

    def __set__(self, obj, value):
        setattr(obj, self.column, encrypt(value if value else self.empty))

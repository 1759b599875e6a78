"""Making the real database refuse writes, as a full or read-only disk does, and giving it room again.

"readonly": the database itself refuses (SQLite `PRAGMA query_only`, PostgreSQL `default_transaction_read_only`),
set on every connection the pool hands out. "full": each INSERT, UPDATE or DELETE fails with the driver's own
disk-full error (sqlite3 SQLITE_FULL, psycopg DiskFull, SQLSTATE 53100), raised where the driver would raise it.
A change applies from the next connection taken from the pool: end the session's transaction first.
"""
import re
import sqlite3

from sqlalchemy import event

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def disk_full_error(dialect_name):
    if dialect_name == "postgresql":
        from psycopg import errors
        return errors.DiskFull('could not extend file "base/16384/16402": No space left on device')
    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = sqlite3.SQLITE_FULL
    return error


class WriteRefusal:
    """Listeners are put on an engine once and stay (doing nothing while writes are allowed): removing them, or
    disposing of the pool, would race with a live server thread still handing back its connection."""

    _modes = {}  # id(engine): "full", "readonly" or None

    def __init__(self, engine):
        self.engine = engine
        self.refused = 0
        if id(engine) not in self._modes:
            event.listen(engine, "checkout", self._on_checkout)
            event.listen(engine, "do_execute", self._on_execute)
            event.listen(engine, "do_executemany", self._on_execute)
        self._modes[id(engine)] = None
        WriteRefusal._current = self

    def refuse(self, mode="full"):
        self._modes[id(self.engine)] = mode

    def allow(self):
        self._modes[id(self.engine)] = None

    def close(self):
        self.allow()  # connections still set read-only are set back as they are next taken from the pool

    @classmethod
    def _mode(cls, engine):
        return cls._modes.get(id(engine))

    def _on_checkout(self, dbapi_connection, connection_record, connection_proxy):
        readonly = self._mode(self.engine) == "readonly"
        if connection_record.info.get("refusing_writes", False) == readonly:
            return
        cursor = dbapi_connection.cursor()
        if self.engine.dialect.name == "postgresql":
            cursor.execute(f"SET default_transaction_read_only = {'on' if readonly else 'off'}")
            dbapi_connection.commit()  # a session setting: it applies from the next transaction, which is the page's
        else:
            cursor.execute(f"PRAGMA query_only = {'ON' if readonly else 'OFF'}")
        cursor.close()
        connection_record.info["refusing_writes"] = readonly

    def _on_execute(self, cursor, statement, parameters, context):
        if self._mode(self.engine) == "full" and WRITES.match(statement):
            WriteRefusal._current.refused += 1
            raise disk_full_error(self.engine.dialect.name)
        return None  # let the driver run it

"""Column types and helpers shared by every domain's models."""
from sqlalchemy import String, type_coerce
from sqlalchemy.types import TypeDecorator

from app.core.clock import now_utc


def utcnow():
    """Now, naive UTC, for column defaults: the site's one clock, so tests that freeze it freeze these too."""
    return now_utc()


class CodeList(TypeDecorator):
    """A short list of codes stored as ' a b c ' so `LIKE '% b %'` filters it on any database."""

    impl = String(500)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if not value:
            return ""
        codes = sorted({str(code).strip() for code in value if str(code).strip()})
        return " " + " ".join(codes) + " "

    def process_result_value(self, value, dialect):
        return value.split() if value else []


def code_list_contains(column, code):
    # Compare as plain text: the pattern must not go through CodeList's own list conversion.
    return type_coerce(column, String).like(f"% {code} %")

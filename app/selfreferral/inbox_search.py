"""Searching the inbox by reference, name, phone or postcode.

Names, phone numbers and postcodes are encrypted at rest, so the database cannot compare them. We decrypt and
filter in Python, over the referrals the inbox filters select, at most SPA_SEARCH_MAX_SCAN of them in inbox order
(a borough's caseload is hundreds to a few thousand: well under a second of decrypting). Keyed blind-index hashes
beside the encrypted columns were the other choice: they would need a second secret, a backfill and re-hashing on
every key or normalisation change, and equal hashes still show which records share a name. References are plain
columns and are matched in SQL.

What was searched for is personal data: the audit log records that a search happened and its kind, not the term.
"""
import math
import re
import unicodedata
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func

from app.core import validation
from app.extensions import db
from app.selfreferral.models import Referral

_REFERENCE_RE = re.compile(r"^HG[23456789A-Z]{0,6}$")


@dataclass
class Page:
    """The bits of Flask-SQLAlchemy's Pagination the inbox uses, for results filtered in Python."""
    items: list
    total: int
    page: int
    per_page: int
    kind: str = ""
    scanned_all: bool = True
    pages: int = field(init=False)

    def __post_init__(self):
        self.pages = max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def prev_num(self):
        return self.page - 1

    @property
    def next_num(self):
        return self.page + 1


def _compact(text):
    return re.sub(r"[\s\-]+", "", text).upper()


def _digits(text):
    digits = re.sub(r"\D", "", text)
    return "0" + digits[2:] if digits.startswith("44") and len(digits) > 10 else digits


def _plain(text):
    """Lower case without accents: 'Amína' finds 'Amina'."""
    decomposed = unicodedata.normalize("NFKD", str(text or "")).casefold()
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def kind_of(term):
    """'reference', 'phone', 'postcode' or 'name': what the typed text looks like."""
    compact = _compact(term)
    # "HG-…", or HG with a digit or the whole reference: a name such as "Hgh" stays a name.
    if _REFERENCE_RE.match(compact) and len(compact) > 2 and (
            term.strip().upper().startswith("HG-") or re.search(r"\d", compact) or len(compact) == 8):
        return "reference"
    if re.fullmatch(r"[\d\s()+\-]+", term) and len(re.sub(r"\D", "", term)) >= 5:
        return "phone"
    if validation.postcode(term) or validation.outward_code(term):
        return "postcode"
    return "name"


def matcher(term):
    """(kind, predicate over decrypted answers) for a name, phone or postcode search."""
    kind = kind_of(term)
    if kind == "phone":
        wanted = _digits(term)
        return kind, lambda a: any(wanted in _digits(str(a.get(k) or "")) for k in ("phone", "referrer_phone"))
    if kind == "postcode":
        full, outward = validation.postcode(term), validation.outward_code(term)

        def by_postcode(answers):
            theirs = validation.postcode(answers.get("postcode"))
            return bool(theirs) and (theirs == full if full else theirs.split(" ")[0] == outward)
        return kind, by_postcode
    words = _plain(term).split()

    def by_name(answers):
        names = _plain(f"{answers.get('full_name') or ''} {answers.get('preferred_name') or ''}")
        return all(word in names for word in words)
    return kind, by_name


def search(query, term, page=1, per_page=50):
    """One page of the referrals in `query` (already filtered and in inbox order) that match `term`."""
    kind = kind_of(term)
    if kind == "reference":
        query = query.where(func.replace(Referral.reference, "-", "").like(_compact(term) + "%"))
        found = db.session.execute(query).scalars().all()
        return _page(found, page, per_page, kind, True)
    kind, matches = matcher(term)
    limit = current_app.config["SPA_SEARCH_MAX_SCAN"]
    scanned = db.session.execute(query.limit(limit + 1)).scalars().all()
    found = [r for r in scanned[:limit] if matches(r.answers)]
    return _page(found, page, per_page, kind, len(scanned) <= limit)


def _page(found, page, per_page, kind, scanned_all):
    start = (page - 1) * per_page
    return Page(items=found[start:start + per_page], total=len(found), page=page, per_page=per_page, kind=kind,
                scanned_all=scanned_all)

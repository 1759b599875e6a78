"""Links to the directory for someone on the waiting list: groups for what they asked help with.

There is no page a person can come back to for the suggestions shown after sending a referral (that page
belongs to the browser that sent it), so an e-mail links to a search for each of their needs instead."""
from urllib.parse import urlencode

from flask import current_app

from app.selfreferral.questions import NEED_CHOICES

NAMES = dict(NEED_CHOICES)


def search_links(needs, language):
    """[(category name, a lazy string, address)] for each need: groups taking new people.

    The whole directory when no need was chosen."""
    base = (current_app.config.get("SITE_URL") or "").rstrip("/") + "/search?"
    codes = [code for code in (needs or []) if code in NAMES]
    if not codes:
        return [(None, base + urlencode({"taking": "yes", "lang": language}))]
    return [(NAMES[code], base + urlencode({"category": code, "taking": "yes", "lang": language}))
            for code in codes]

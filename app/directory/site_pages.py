"""The site's information pages: privacy notice, accessibility statement and contact page.

Each page has a title and a body in limited Markdown per language. Managers edit them at /manage/pages/; the
text shipped with the site (data/site_pages/<language>.json) is stored by `flask directory seed` and shown
until then. A language with no text shows the English, marked as English. A body may name a few settings in
braces ({borough}, {contact_phone}...), filled in when the page is shown, so changing a setting needs no edit.
"""
import functools
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select

from app.core import audit
from app.core.db import utcnow
from app.core.templating import PAGE_TAGS, format_number, render_markdown
from app.directory.models import SitePage
from app.extensions import db

DATA_DIR = Path(__file__).resolve().parent / "data" / "site_pages"
PAGES = {"privacy": _l("Privacy notice"), "accessibility": _l("Accessibility statement"), "contact": _l("Contact us")}
TITLE_MAX, BODY_MAX = 200, 30_000
PLACEHOLDERS = ("borough", "retention_months", "open_retention_months", "draft_minutes", "contact_phone",
                "contact_email", "dpo_email")


@dataclass
class ShownPage:
    slug: str
    title: str
    html: Markup
    language: str  # the language the text is in: English when the reader's has none
    updated_at: date | None


@functools.cache
def shipped(language):
    """{slug: {"title", "body"}} and the date written, from the data file for a language (empty if none)."""
    path = DATA_DIR / f"{language}.json"
    if not path.is_file():
        return {}, None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["pages"], date.fromisoformat(data["updated"])


def stored(slug):
    """{language: SitePage} for a page."""
    rows = db.session.execute(select(SitePage).where(SitePage.slug == slug)).scalars()
    return {row.language: row for row in rows}


def has_text(row):
    return row is not None and bool(row.title.strip()) and bool(row.body.strip())


def shows_own_text(slug, language, row):
    """Whether readers of a language see text of its own: saved, or shipped and not yet seeded."""
    return has_text(row) or (row is None and slug in shipped(language)[0])


def page_for(slug, language):
    """The page in the reader's language, or in English; what managers saved first, the shipped text until then."""
    rows = stored(slug)
    for lang in dict.fromkeys((language, "en")):
        if has_text(rows.get(lang)):
            row = rows[lang]
            return ShownPage(slug, row.title, render_body(row.body), lang, row.updated_at)
    for lang in dict.fromkeys((language, "en")):
        pages, written = shipped(lang)
        if slug in pages and not (lang in rows and lang != "en"):
            return ShownPage(slug, pages[slug]["title"], render_body(pages[slug]["body"]), lang, written)
    return None


def _link(scheme, target, text):
    return Markup('<a href="{}:{}"><bdi dir="ltr">{}</bdi></a>').format(scheme, target, text)


def placeholder_values():
    config = current_app.config
    phone = config["CONTACT_PHONE"]
    return {
        "borough": escape(config["BOROUGH_NAME"]),
        "retention_months": escape(format_number(config["REFERRAL_RETENTION_MONTHS"])),
        "open_retention_months": escape(format_number(config["OPEN_REFERRAL_RETENTION_MONTHS"])),
        "draft_minutes": escape(format_number(config["REFERRAL_DRAFT_IDLE_MINUTES"])),
        "contact_phone": _link("tel", "".join(ch for ch in phone if ch.isdigit() or ch == "+"), phone),
        "contact_email": _link("mailto", config["CONTACT_EMAIL"], config["CONTACT_EMAIL"]),
        "dpo_email": _link("mailto", config["DATA_PROTECTION_EMAIL"], config["DATA_PROTECTION_EMAIL"]),
    }


def render_body(body):
    """Sanitised Markdown, then the settings put in: their values are escaped, so no setting can add markup."""
    html = str(render_markdown(body, tags=PAGE_TAGS))
    for name, value in placeholder_values().items():
        html = html.replace("{" + name + "}", str(value))
    # Sanitised by nh3 above, and every value put in is escaped, so it is safe to mark as HTML.
    return Markup(html)  # nosec B704


def save(slug, language, title, body, user):
    """A manager's edit. Empty title and body in a language other than English leave it showing the English
    (the row stays, empty, so seeding never brings the old text back). The caller commits."""
    rows = stored(slug)
    row = rows.get(language)
    if row is None:
        row = SitePage(slug=slug, language=language, title="", body="")
        db.session.add(row)
    row.title, row.body = title.strip()[:TITLE_MAX], body.strip()[:BODY_MAX]
    row.updated_by_id = user.id
    row.updated_at = utcnow()
    audit.log("site_page_edit", user, record=f"{slug} {language}",
              detail="saved" if has_text(row) else "emptied: shows the English")
    return row


def seed_defaults():
    """Store the shipped text for every page and language that has none yet; never touches managers' edits."""
    created = 0
    for path in sorted(DATA_DIR.glob("*.json")):
        language = path.stem
        pages, written = shipped(language)
        for slug, page in pages.items():
            if slug in PAGES and language not in stored(slug):
                db.session.add(SitePage(slug=slug, language=language, title=page["title"], body=page["body"],
                                        updated_at=datetime.combine(written, datetime.min.time())))
                created += 1
    db.session.commit()
    return created

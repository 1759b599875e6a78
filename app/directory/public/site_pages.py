"""The privacy notice, accessibility statement and contact page, in the reader's language (or English)."""
from flask import Blueprint, abort, render_template
from flask_babel import get_locale

from app.directory import site_pages

bp = Blueprint("site_pages", __name__, template_folder="templates")


@bp.route("/privacy", defaults={"slug": "privacy"})
@bp.route("/accessibility", defaults={"slug": "accessibility"})
@bp.route("/contact", defaults={"slug": "contact"})
def show(slug):
    locale = get_locale()
    page = site_pages.page_for(slug, locale.language if locale else "en")
    if page is None:
        abort(404)
    return render_template("directory/site_page.html", page=page, name=site_pages.PAGES[slug])

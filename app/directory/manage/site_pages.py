"""The site's information pages, edited by directory managers in every language (/manage/pages/)."""
from babel import Locale, UnknownLocaleError
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from app.accounts.permissions import role_required
from app.core.forms import SiteForm
from app.directory import site_pages
from app.extensions import db

pages_bp = Blueprint("manage_pages", __name__, url_prefix="/manage/pages", template_folder="templates")
MANAGERS = ("manager", "admin")


class SitePageForm(SiteForm):
    title = StringField(_l("Title"), validators=[Length(max=site_pages.TITLE_MAX)])
    body = TextAreaField(_l("Page text"), validators=[Length(max=site_pages.BODY_MAX)])

    def __init__(self, language, **kwargs):
        super().__init__(**kwargs)
        self.language = language

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        title, body = (self.title.data or "").strip(), (self.body.data or "").strip()
        # English is what every other language falls back to, so it can never be empty.
        if (self.language == "en" or body) and not title:
            self.title.errors.append(_("Enter a title"))
            valid = False
        if (self.language == "en" or title) and not body:
            self.body.errors.append(_("Enter the page text"))
            valid = False
        return valid


def _languages():
    return list(current_app.config["LANGUAGES"])


def _direction(language):
    try:
        return Locale.parse(language).text_direction
    except (UnknownLocaleError, ValueError):
        return "ltr"


@pages_bp.route("/")
@role_required(*MANAGERS)
def index():
    rows = {slug: site_pages.stored(slug) for slug in site_pages.PAGES}
    return render_template("directory/manage_pages.html", pages=site_pages.PAGES, rows=rows,
                           languages=_languages(), shows_own_text=site_pages.shows_own_text)


@pages_bp.route("/<page_slug>/<language>", methods=["GET", "POST"])
@role_required(*MANAGERS)
def edit(page_slug, language):
    if page_slug not in site_pages.PAGES or language not in _languages():
        abort(404)
    row = site_pages.stored(page_slug).get(language)
    if row is not None:
        current = {"title": row.title, "body": row.body}
    else:  # not seeded yet: start from the shipped text, if there is one in this language
        current = site_pages.shipped(language)[0].get(page_slug, {"title": "", "body": ""})
    # A POST is read only as sent: a missing field must never fall back to the text the form started from.
    form = SitePageForm(language, data=None if request.method == "POST" else current)
    preview = None
    if form.validate_on_submit():
        if request.form.get("action") != "preview":
            site_pages.save(page_slug, language, form.title.data or "", form.body.data or "", current_user)
            db.session.commit()
            flash(_("Saved. The page is live."))
            return redirect(url_for("manage_pages.index"))
        # Shown as the public page will show it, and not saved: the form keeps the text to change or publish.
        preview = site_pages.render_body(form.body.data or "")
    return render_template("directory/manage_page_edit.html", form=form, slug=page_slug, language=language,
                           direction=_direction(language), page_name=site_pages.PAGES[page_slug], row=row,
                           placeholders=site_pages.PLACEHOLDERS, preview=preview), 400 if form.errors else 200

"""Translator tools (/translate/): language packs kept by translators, live the same day.

The list of listings to translate is the directory's (app/directory/translations_views.py)."""
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import role_required
from app.core.db import utcnow
from app.extensions import db
from app.i18n import catalogues, languages, uploads
from app.i18n.models import LanguageReview, TranslationEdit

bp = Blueprint("i18n", __name__, url_prefix="/translate", template_folder="templates")
TRANSLATORS = ("translator", "admin")


def _language_or_404(code):
    if code not in catalogues.known_languages() or code == "en" or not catalogues.po_path(code).exists():
        abort(404)
    return code


@bp.route("/")
@role_required(*TRANSLATORS)
def dashboard():
    return render_template("i18n/dashboard.html", languages=catalogues.completeness_report())


@bp.route("/<code>")
@role_required(*TRANSLATORS)
def language(code):
    code = _language_or_404(code)
    show = request.args.get("show", "untranslated")
    if show not in ("all", "untranslated", "fuzzy", "translated"):
        show = "all"
    query = (request.args.get("q") or "")[:200]
    found, num_plurals = catalogues.entries(code, show, query)
    return render_template("i18n/language.html", code=code, name=catalogues.language_name(code),
                           entries=found[:300], total=len(found), show=show,
                           query=query, num_plurals=num_plurals, plural_labels=catalogues.plural_labels(code),
                           percent=catalogues.percent(code), review=db.session.get(LanguageReview, code))


@bp.route("/<code>/messages/<key>", methods=["GET", "POST"])
@role_required(*TRANSLATORS)
def edit(code, key):
    code = _language_or_404(code)
    found, num_plurals = catalogues.entries(code, "all")
    entry = next((e for e in found if e["key"] == key), None)
    if entry is None:
        abort(404)
    problems = []
    if request.method == "POST":
        count = num_plurals if entry["plural"] else 1
        strings = [(request.form.get(f"form{i}") or "")[:catalogues.MAX_LENGTH + 1] for i in range(count)]
        try:
            changed = catalogues.save(code, key, strings, current_user)
        except catalogues.CatalogueError as exc:
            problems = str(exc).split("; ")
            entry = {**entry, "strings": strings}
        else:
            flash(_("Saved. The new text is live on the site now.") if changed else _("Nothing changed."))
            return redirect(url_for("i18n.language", code=code, show=request.args.get("show", "untranslated"),
                                    q=request.args.get("q") or None))
    history = db.session.execute(select(TranslationEdit).where(
        TranslationEdit.language == code, TranslationEdit.msgid == (entry["id"] if isinstance(entry["id"], str)
                                                                     else entry["id"][0]))
        .order_by(TranslationEdit.at.desc()).limit(10)).scalars().all()
    return render_template("i18n/edit.html", code=code, name=catalogues.language_name(code), entry=entry,
                           num_plurals=num_plurals, problems=problems,
                           plural_labels=catalogues.plural_labels(code), history=history), (400 if problems else 200)


@bp.route("/<code>/download")
@role_required(*TRANSLATORS)
def download(code):
    code = _language_or_404(code)
    catalog, _changed = catalogues.merged(code)  # what the site shows now, translators' edits included
    data = io.BytesIO(catalogues.po_bytes(catalog))
    return send_file(data, mimetype="text/x-gettext-translation", as_attachment=True,
                     download_name=f"hidden-gems-{code}.po")


@bp.route("/<code>/upload", methods=["POST"])
@role_required(*TRANSLATORS)
def upload(code):
    code = _language_or_404(code)
    upload_file = request.files.get("po")
    if upload_file is None or not upload_file.filename:
        problems = [_("Choose a .po file to upload")]
        uploaded = None
    else:
        uploaded, problems = uploads.check_upload(code, upload_file.read(2 * 1024 * 1024 + 1))
    if not problems:
        try:
            changed = uploads.apply_upload(code, uploaded, current_user)
        except catalogues.CatalogueError as exc:
            problems = [str(exc)]
    if problems:
        return render_template("i18n/upload_problems.html", code=code, problems=problems[:200],
                               more=max(0, len(problems) - 200)), 400
    flash(ngettext("Uploaded. %(num)s translation changed, and it is live now.",
                   "Uploaded. %(num)s translations changed, and they are live now.", changed))
    return redirect(url_for("i18n.language", code=code))


@bp.route("/<code>/review", methods=["POST"])
@role_required(*TRANSLATORS)
def review(code):
    code = _language_or_404(code)
    state = db.session.get(LanguageReview, code) or LanguageReview(language=code)
    state.state = "reviewed" if request.form.get("state") == "reviewed" else "awaiting"
    if state.state == "reviewed":  # who reviewed it and when stay recorded until the next review
        state.reviewed_by_id, state.reviewed_at, state.note = current_user.id, utcnow(), ""
    db.session.add(state)
    db.session.commit()
    flash(_("Review state saved."))
    return redirect(url_for("i18n.language", code=code))


@bp.route("/languages", methods=["POST"])
@role_required("admin")
def add_language():
    try:
        locale = languages.add_language(request.form.get("code", "")[:20], current_user, on_the_web=True)
    except catalogues.CatalogueError as exc:
        return render_template("i18n/dashboard.html", languages=catalogues.completeness_report(),
                               add_error=str(exc), typed_code=request.form.get("code", "")[:20]), 400
    flash(_("Started a catalogue for %(name)s. It appears in the language list once it is %(num)s%% translated.",
            name=locale.get_display_name(locale), num=catalogues.current_app.config["LANGUAGE_THRESHOLD"]))
    return redirect(url_for("i18n.dashboard"))


"""Translators' pages for the search synonym lists (/translate/<language>/synonyms): list, add, change and remove
a group. They change how the directory is searched, so they live in the directory, under the i18n tools' prefix."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import role_required
from app.directory.search import synonym_store
from app.directory.search.synonym_edits import EditError, find, remove, save
from app.i18n import catalogues
from app.i18n.views import TRANSLATORS

bp = Blueprint("search_synonyms", __name__, url_prefix="/translate", template_folder="templates")


def _languages():
    return [code for code in catalogues.known_languages()
            if code == current_app.config["BABEL_DEFAULT_LOCALE"] or catalogues.po_path(code).exists()]


def _language_or_404(code):
    if code not in _languages():
        abort(404)
    return code


def _name(code):
    return catalogues.language_name(code)


@bp.route("/synonyms")
@role_required(*TRANSLATORS)
def index():
    languages = [(code, _name(code), len(synonym_store.groups(code))) for code in _languages()]
    return render_template("directory/synonyms/index.html", languages=languages)


@bp.route("/<code>/synonyms")
@role_required(*TRANSLATORS)
def groups(code):
    code = _language_or_404(code)
    edited = {row.group_key for row in synonym_store.current_edits(code)}
    return render_template("directory/synonyms/groups.html", code=code, name=_name(code),
                           groups=synonym_store.groups(code), edited=edited)


@bp.route("/<code>/synonyms/new", methods=["GET", "POST"])
@bp.route("/<code>/synonyms/<key>", methods=["GET", "POST"])
@role_required(*TRANSLATORS)
def edit(code, key=None):
    code = _language_or_404(code)
    group = find(code, key) if key else None
    if key and group is None:
        abort(404)
    values = {"triggers": "\n".join(group.triggers) if group else "",
              "expansions": "\n".join(group.expansions) if group else ""}
    errors = {}
    if request.method == "POST":
        values = {name: (request.form.get(name) or "")[:5000] for name in ("triggers", "expansions")}
        try:
            save(code, values["triggers"], values["expansions"], current_user, key=key)
        except EditError as exc:
            errors = exc.errors
        except synonym_store.ConcurrentEdit:
            errors = {"triggers": _("Someone else saved this group at the same moment. Check it and save again.")}
        else:
            flash(_("Saved. Searches use the new words from now on."))
            return redirect(url_for("search_synonyms.groups", code=code))
    history = synonym_store.history(code, key) if key else []
    return render_template("directory/synonyms/edit.html", code=code, name=_name(code), group=group,
                           values=values, errors=errors, history=history), (400 if errors else 200)


@bp.route("/<code>/synonyms/<key>/remove", methods=["GET", "POST"])
@role_required(*TRANSLATORS)
def remove_group(code, key):
    code = _language_or_404(code)
    group = find(code, key)
    if group is None:
        abort(404)
    if request.method == "POST":
        if not group.removed:  # sent twice, or by two translators at once: removed once
            remove(code, group, current_user)
        flash(_("The synonym group was removed. Searches stop using it from now on."))
        return redirect(url_for("search_synonyms.groups", code=code))
    return render_template("directory/synonyms/remove.html", code=code, name=_name(code), group=group)

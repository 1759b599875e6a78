"""The translators' list of listings to translate (/translate/listings). It reads listings, so it lives in the
directory, next to the i18n blueprint's catalogue tools under the same /translate/ prefix.

Filters are per language: listings with no translation yet, and those whose English listing changed after the
translation was last saved ("needs updating": when its English words last changed against the translation's time)."""
from flask import Blueprint, current_app, render_template, request
from sqlalchemy import and_, exists, func, or_, select

from app.accounts.permissions import role_required
from app.core.requests import int_arg
from app.directory import translations as listing_translations
from app.directory.models import Organisation, Service, ServiceTranslation
from app.extensions import db
from app.i18n import catalogues
from app.i18n.views import TRANSLATORS

# template_folder: the domain's own folder, which also holds the e-mails its services render.
bp = Blueprint("listing_translations", __name__, url_prefix="/translate", template_folder="templates")
PER_PAGE = 50
SHOW = ("all", "untranslated", "stale")


def _languages():
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    return [c for c in catalogues.known_languages() if c != default and catalogues.po_path(c).exists()]


def _filtered(stmt, language, show):
    translated = exists().where(ServiceTranslation.service_id == Service.id,
                                ServiceTranslation.language == language)
    stale = exists().where(ServiceTranslation.service_id == Service.id, ServiceTranslation.language == language,
                           ServiceTranslation.updated_at < Service.text_changed_at)
    if show == "untranslated":
        return stmt.where(~translated)
    if show == "stale":
        return stmt.where(stale)
    return stmt


@bp.route("/listings")
@role_required(*TRANSLATORS)
def listings():
    query = (request.args.get("q") or "").strip()[:100]
    languages = _languages()
    language = request.args.get("language") if request.args.get("language") in languages else None
    show = request.args.get("show") if request.args.get("show") in SHOW and language else "all"
    stmt = select(Service).join(Organisation).where(Service.status == "published")
    if query:
        like = f"%{query}%"
        stmt = stmt.where(or_(Service.name.ilike(like), Organisation.name.ilike(like)))
    if language:
        stmt = _filtered(stmt, language, show)
    found = db.paginate(stmt.order_by(Service.name, Service.id), page=int_arg("page", 1, 1, 10_000), per_page=PER_PAGE,
                        error_out=False)
    counts = dict(db.session.execute(select(ServiceTranslation.language, func.count())
                                     .join(Service, and_(Service.id == ServiceTranslation.service_id,
                                                         Service.status == "published"))
                                     .group_by(ServiceTranslation.language)).all())
    names = {code: catalogues.language_name(code) for code in languages}
    by_service = {}
    if language and found.items:
        rows = db.session.execute(select(ServiceTranslation).where(
            ServiceTranslation.language == language,
            ServiceTranslation.service_id.in_([s.id for s in found.items]))).scalars()
        by_service = {row.service_id: row for row in rows}
    args = {k: v for k, v in (("q", query), ("language", language), ("show", show if language else None)) if v}
    return render_template("directory/translate_listings.html", services=found, query=query, counts=counts,
                           languages=names, language=language, show=show, by_service=by_service, args=args,
                           is_stale=listing_translations.is_stale)

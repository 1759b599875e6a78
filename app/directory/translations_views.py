"""The translators' list of listings to translate (/translate/listings). It reads listings, so it lives in the
directory, next to the i18n blueprint's catalogue tools under the same /translate/ prefix."""
from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from app.accounts.permissions import role_required
from app.directory.models import Service, ServiceTranslation
from app.extensions import db
from app.i18n.views import TRANSLATORS

# template_folder: the domain's own folder, which also holds the e-mails its services render.
bp = Blueprint("listing_translations", __name__, url_prefix="/translate", template_folder="templates")


@bp.route("/listings")
@role_required(*TRANSLATORS)
def listings():
    query = (request.args.get("q") or "").strip()[:100]
    stmt = select(Service).where(Service.status == "published").order_by(Service.name)
    if query:
        stmt = stmt.where(Service.name.ilike(f"%{query}%"))
    found = db.session.execute(stmt.limit(100)).scalars().all()
    counts = dict(db.session.execute(select(ServiceTranslation.language, func.count())
                                     .group_by(ServiceTranslation.language)).all())
    return render_template("directory/translate_listings.html", services=found, query=query, counts=counts)

from flask import Blueprint, render_template

from app.accounts.permissions import role_required
from app.i18n import catalogues

bp = Blueprint("i18n", __name__, url_prefix="/translate", template_folder="templates")


@bp.route("/")
@role_required("translator", "admin")
def dashboard():
    return render_template("i18n/dashboard.html", languages=catalogues.completeness_report())

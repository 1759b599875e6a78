from flask import Blueprint, render_template

from app.accounts.permissions import role_required

bp = Blueprint("selfreferral", __name__, url_prefix="/refer", template_folder="templates")
spa_bp = Blueprint("spa", __name__, url_prefix="/spa", template_folder="templates")


@spa_bp.route("/")
@role_required("spa")
def inbox():
    return render_template("selfreferral/inbox.html")

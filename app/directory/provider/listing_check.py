"""The page a reminder e-mail links to (/listing-check/<token>): a provider says "still correct"
without signing in. The signed link is the permission (see freshness.read_token)."""
from flask import Blueprint, render_template, request

from app.core import clock
from app.directory import freshness
from app.extensions import db

# Its own blueprint: the path sits outside /provider/ because the link needs no sign-in.
bp = Blueprint("listing_check", __name__, template_folder="templates")


def _problem_page(kind):
    return render_template("directory/freshness_confirm.html", problem=kind, service=None), 400


@bp.route("/listing-check/<token>", methods=["GET", "POST"])
def check(token):
    now = clock.now_utc()
    try:
        service, user = freshness.read_token(token, now)
    except freshness.LinkProblem as problem:
        return _problem_page(problem.kind)
    if request.method == "POST":
        freshness.confirm_still_correct(service, user, now)
        db.session.commit()
        return render_template("directory/freshness_done.html", service=service)
    return render_template("directory/freshness_confirm.html", problem=None, service=service, token=token,
                           edit_url=freshness.edit_url(service, base=""))

"""Problems reported by the public (/manage/problems): read one, archive its listing, close it with an outcome
and a reply to the reporter; and "remind now" on the stale list. Routes of the manage blueprint."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.accounts.permissions import role_required
from app.core import clock
from app.core.forms import SiteForm
from app.directory import freshness, listings
from app.directory import problems as problem_reports
from app.directory.manage.views import MANAGERS, manage_bp
from app.directory.models import ProblemReport, StatusChangeError
from app.extensions import db


class CloseProblemForm(SiteForm):
    outcome = RadioField(_l("What was done?"), validate_choice=False,
                         choices=[SelectChoice(code, label) for code, label in problem_reports.OUTCOMES.items()])
    note = TextAreaField(_l("Note for the directory team (optional)"))
    reply = TextAreaField(_l("Reply to the person who reported it (optional)"),
                          description=_l("We e-mail this to them with the listing's name and what was done."))

    def check(self, report):
        if not self.validate():
            return False
        found = problem_reports.check_close(report, {"outcome": self.outcome.data or "", "note": self.note.data or "",
                                              "reply": self.reply.data or ""})
        for name, message in found.items():
            getattr(self, name).errors = [str(message)]
        return not found


LABELS = {"labels": problem_reports.PROBLEMS, "outcomes": problem_reports.OUTCOMES}


def _report(report_id):
    report = db.session.get(ProblemReport, report_id)
    if report is None:
        abort(404)
    return report


@manage_bp.route("/problems")
@role_required(*MANAGERS)
def problems():
    status = "resolved" if request.args.get("show") == "closed" else "open"
    return render_template("directory/manage_problems.html", reports=problem_reports.reports(status), status=status,
                           counts=problem_reports.counts(), **LABELS)


@manage_bp.route("/problems/<int:report_id>", methods=["GET", "POST"])
@role_required(*MANAGERS)
def problem(report_id):
    report = _report(report_id)
    form = CloseProblemForm()
    if request.method == "POST":
        if report.status != "open":
            flash(_("This report was already closed."), "important")
            return redirect(url_for("manage.problem", report_id=report.id))
        if form.check(report):
            problem_reports.close(report, current_user, form.outcome.data, form.note.data or "", form.reply.data or "")
            db.session.commit()
            flash(_("Report closed. The reply was e-mailed to the person who reported it.") if report.replied_at
                  else _("Report closed."))
            return redirect(url_for("manage.problems"))
    return render_template("directory/manage_problem.html", report=report, form=form, **LABELS,
                           note_max=problem_reports.NOTE_MAX, reply_max=problem_reports.REPLY_MAX
                           ), (400 if form.errors else 200)


@manage_bp.route("/problems/<int:report_id>/archive", methods=["GET", "POST"])
@role_required(*MANAGERS)
def archive_for_problem(report_id):
    """Archiving withdraws the listing from the public at once: a confirmation page first (GOV.UK pattern)."""
    report = _report(report_id)
    if report.service.status != "published":
        flash(_("‘%(name)s’ is not published, so there is nothing to archive.", name=report.service.name),
              "important")
        return redirect(url_for("manage.problem", report_id=report.id))
    if request.method == "POST":
        try:
            problem_reports.archive_listing(report, current_user)
        except StatusChangeError as error:
            db.session.rollback()
            flash(error.message)
            return redirect(url_for("manage.problem", report_id=report.id))
        db.session.commit()
        flash(_("‘%(name)s’ was archived: the public no longer see it. You can publish it again from its history.",
                name=report.service.name))
        return redirect(url_for("manage.problem", report_id=report.id))
    return render_template("directory/manage_problem_archive.html", report=report)


@manage_bp.route("/stale/<slug>/remind", methods=["POST"])
@role_required(*MANAGERS)
def remind_now(slug):
    service = listings.get_published_service(str(slug))
    if service is None:
        abort(404)
    result = freshness.remind_now(service, clock.now_utc())
    if result.providers_emailed:
        flash(ngettext("‘%(name)s’: a reminder was e-mailed to %(num)s person.",
                       "‘%(name)s’: a reminder was e-mailed to %(num)s people.", result.providers_emailed,
                       name=service.name))
    else:
        flash(_("‘%(name)s’ has no one to remind: its organisation has no active providers. Invite one, or "
                "check the listing yourself.", name=service.name), "important")
    return redirect(url_for("manage.stale_report"))  # the message at the top, where it is seen

"""Problems the public report with a listing, and what a directory manager does about them.

A report reaches the listing's providers at once; a manager then closes it with an outcome, may reply to
the reporter (in the language they used), and may archive a listing that has stopped running."""
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.core import audit, mail, validation
from app.core.db import utcnow
from app.directory import moderation
from app.directory.models import ProblemReport
from app.extensions import db

PROBLEMS = {
    "closed": _l("It has closed or stopped running"),
    "times": _l("The days or times are wrong"),
    "contact": _l("The phone number, e-mail or website is wrong"),
    "place": _l("The address is wrong"),
    "other": _l("Something else"),
}
OUTCOMES = {
    "corrected": _l("The listing was corrected"),
    "provider": _l("The provider was asked to correct it"),
    "no_change": _l("Checked: nothing needed changing"),
    "archived": _l("The listing was archived: it has stopped running"),
}
MESSAGE_MAX = 2000
NOTE_MAX = 1000
REPLY_MAX = 2000


def check_report(values):
    """Errors in a report from the public, by field (empty when it can be sent). Too long is refused, never cut."""
    errors = {}
    if values["problem"] not in PROBLEMS:
        errors["problem"] = _l("Choose what is wrong")
    if values["problem"] == "other" and not values["message"].strip():
        errors["message"] = _l("Tell us what is wrong")
    elif len(values["message"]) > MESSAGE_MAX:
        errors["message"] = _l("Details must be %(max)s characters or fewer", max=f"{MESSAGE_MAX:,}")
    if values["email"] and validation.email(values["email"]) is None:
        errors["email"] = _l("Enter an email address in the correct format, like name@example.com")
    return errors


def report(service, problem, message, email, language):
    """Store a member of the public's report, and e-mail the organisation's providers about it."""
    found = ProblemReport(service=service, problem=problem, message=message.strip(), language=language or "en")
    found.reporter_email = email
    db.session.add(found)
    for provider in service.organisation.providers:
        if provider.active:
            mail.queue_email(provider.email, _l("A problem was reported with %(name)s", name=service.name),
                             "directory/email/problem_report.txt", language="en", service=service,
                             problem_label=PROBLEMS[problem], message=message)
    return found


def group_told(service):
    """Whether anyone at the listing's group was e-mailed about a report (it has active provider accounts)."""
    return any(provider.active for provider in service.organisation.providers)


def reports(status):
    query = select(ProblemReport).where(ProblemReport.status == status)
    order = ProblemReport.created_at.asc() if status == "open" else ProblemReport.resolved_at.desc()
    return db.session.execute(query.order_by(order, ProblemReport.id)).scalars().all()


def counts():
    return dict(db.session.execute(select(ProblemReport.status, func.count()).group_by(ProblemReport.status)).all())


def check_close(report_, values):
    errors = {}
    if values["outcome"] not in OUTCOMES:
        errors["outcome"] = _l("Choose what was done")
    elif values["outcome"] == "archived" and report_.service.status != "archived":
        errors["outcome"] = _l("Archive the listing first, or choose what else was done")
    if len(values["note"]) > NOTE_MAX:
        errors["note"] = _l("The note must be %(max)s characters or fewer", max=f"{NOTE_MAX:,}")
    if len(values["reply"]) > REPLY_MAX:
        errors["reply"] = _l("The reply must be %(max)s characters or fewer", max=f"{REPLY_MAX:,}")
    elif values["reply"].strip() and not report_.reporter_email:
        errors["reply"] = _l("The person who reported this did not give an e-mail address")
    return errors


def close(report_, manager, outcome, note, reply):
    """Record what was done; a reply, when written, is e-mailed to the reporter. The caller commits."""
    now = utcnow()
    report_.status, report_.resolved_by_id, report_.resolved_at = "resolved", manager.id, now
    report_.outcome, report_.outcome_note = outcome, note.strip()
    if reply.strip() and report_.reporter_email:
        service = report_.service
        link = url_for("directory.service", slug=service.slug, _external=True) \
            if service.status == "published" else None
        mail.queue_email(report_.reporter_email,
                         _l("Your report about %(name)s", name=service.name), "directory/email/problem_reply.txt",
                         language=report_.language, service=service, reply=reply.strip(),
                         outcome_label=OUTCOMES[outcome], link=link)
        report_.replied_at = now
    audit.log("problem_closed", manager, record=f"problem {report_.id}",
              detail=f"{outcome}{', replied' if report_.replied_at else ''}")


def archive_listing(report_, manager):
    """Withdraw a listing that has stopped running: live at once, kept in its history, restorable."""
    service = report_.service
    moderation.apply_directly("service", service, {"status": "archived"}, manager)
    audit.log("listing_archived", manager, record=service.slug[:60], detail=f"problem {report_.id}")

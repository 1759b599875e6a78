"""The public self-referral form (/refer): one question page at a time, a check page, one submit."""
from datetime import datetime
from functools import wraps

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError

from app.core import errors, limits
from app.core.clock import to_local
from app.extensions import db
from app.selfreferral import duty, journey, saved_drafts
from app.selfreferral.views import no_store

bp = Blueprint("selfreferral", __name__, url_prefix="/refer", template_folder="../templates")
bp.after_request(no_store)


def commits(view):
    """The request's one commit, once the view is done: a new or saved draft, or an expired one removed."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        response = view(*args, **kwargs)
        try:
            journey.record_activity()
            db.session.commit()
        except DBAPIError as exc:
            if request.method != "GET" or not errors.is_storage_failure(exc):
                raise
            # A page only read: what is lost is the draft's last-activity time, so the page is still shown.
            db.session.rollback()
        return response
    return wrapped


@bp.route("/")
@commits
def start():
    draft = journey.current_draft()
    resume_url = _step_url(journey.first_unanswered(draft.answers)) if draft else None
    return render_template("selfreferral/refer/start.html", resume_url=resume_url)


@bp.route("/start", methods=["POST"])
@commits
def begin():
    journey.start_draft()
    return redirect(url_for("selfreferral.step", name=journey.STEPS[0].name))


@bp.route("/urgent")
@commits
def urgent():
    draft = journey.current_draft()
    answers = draft.answers if draft else {}
    following = journey.next_step("safety", answers)
    return render_template("selfreferral/refer/urgent.html", back_url=url_for("selfreferral.step", name="safety"),
                           next_url=url_for("selfreferral.step", name=following.name) if draft else
                           url_for("selfreferral.start"), team=duty.availability(),
                           helping=journey.helping(answers))


@bp.route("/outside-area")
@commits
def outside_area():
    """For someone with no link to the borough: where to get support instead."""
    draft = journey.current_draft()
    return render_template("selfreferral/refer/outside_area.html",
                           back_url=url_for("selfreferral.step", name="address") if draft else None,
                           helping=journey.helping(draft.answers) if draft else False)


@bp.route("/<name>", methods=["GET", "POST"])
@commits
def step(name):
    current = journey.get_step(name)
    if current is None:
        abort(404)
    draft, expired = journey.load_draft(touch=True)
    if draft is None:
        return _no_draft(expired)
    answers = draft.answers
    if not current.applies_to(answers):
        return redirect(_step_url(journey.first_unanswered(answers)))
    returning = bool(request.args.get("change")) or "check" in request.form
    form = _step_form(current, answers)
    if request.method == "POST" and "save_later" in request.form:
        # Kept as it is, answered or not: nothing they typed is lost (CSRF is checked for every POST).
        saved_drafts.keep_page(draft, current, form, request.form)
        return redirect(url_for("selfreferral.save_for_later"))
    if form.validate_on_submit():
        return redirect(_after_saving(draft, current, form, returning))
    return _render_step(current, form, answers, returning), (400 if form.errors else 200)


def _no_draft(expired):
    """A draft that timed out gets the expired page (never anyone else's answers); no draft at all, the start."""
    if expired:
        return render_template("selfreferral/refer/expired.html", idle_minutes=journey.idle_minutes())
    return redirect(url_for("selfreferral.start"))


def _step_url(step):
    """A question's page, or the check page when there is none left."""
    return url_for("selfreferral.step", name=step.name) if step else url_for("selfreferral.check")


def _step_form(current, answers):
    kwargs = {"route": answers.get("route")}
    if current.name == "address":
        kwargs["needs_letter_address"] = "letter" in (answers.get("methods") or [])
    if request.method == "POST":
        return current.form(**kwargs)
    typed = saved_drafts.typed_values(answers, current.name)
    if typed is not None:  # saved for later before it was all accepted: shown again exactly as typed
        return current.form(formdata=typed, **kwargs)
    return current.form(formdata=None, data={k: v for k, v in answers.items() if not k.startswith("_")}, **kwargs)


def _after_saving(draft, current, form, returning):
    """Where to go once a page is answered: urgent help, back to the check page, or the next page not yet done."""
    answers = journey.save_step(draft, current, form)
    if current.name == "safety" and form.safe.data == "no":
        return url_for("selfreferral.urgent")
    if current.name == "address" and form.signpost:
        return url_for("selfreferral.outside_area")
    pending = journey.first_unanswered(answers)
    if returning and pending is None:
        return url_for("selfreferral.check")
    following = journey.next_step(current.name, answers)
    if following is None or following.name in answers.get("_completed", []):
        following = pending
    return _step_url(following)


def _render_step(current, form, answers, returning):
    names = [s.name for s in journey.applicable_steps(answers)]
    previous = journey.previous_step(current.name, answers)
    back_url = url_for("selfreferral.check") if returning else (
        url_for("selfreferral.step", name=previous.name) if previous else url_for("selfreferral.start"))
    return render_template("selfreferral/refer/step.html", form=form, step=current, back_url=back_url,
                           returning=returning, step_number=names.index(current.name) + 1, step_total=len(names),
                           idle_minutes=journey.idle_minutes(), helping=journey.helping(answers))


@bp.route("/check")
@commits
def check():
    draft, expired = journey.load_draft(touch=True)
    if draft is None:
        return _no_draft(expired)
    answers = draft.answers
    pending = journey.first_unanswered(answers)
    if pending is not None:
        return redirect(url_for("selfreferral.step", name=pending.name))
    return _render_check(draft)


def _render_check(draft, problem=None):
    answers = draft.answers
    return render_template("selfreferral/refer/check.html", sections=journey.summary_sections(answers),
                           journey_token=draft.journey_token, idle_minutes=journey.idle_minutes(), problem=problem,
                           back_url=url_for("selfreferral.step", name=journey.applicable_steps(answers)[-1].name))


@bp.route("/send", methods=["POST"])
@limits.referral()
@commits  # journey.submit commits the referral itself; this keeps an expired draft's removal
def submit():
    token = (request.form.get("journey") or "")[:64]
    if request.form.get("website"):
        # A hidden field only automated form-fillers see and fill in.
        return render_template("selfreferral/refer/not_sent.html"), 400
    draft = journey.hurried_draft(session.get(journey.DRAFT_KEY))
    if draft is not None:
        # Kept, not deleted: a quick person only has to press Send again.
        return _render_check(draft, _("This referral was sent very quickly, so it has not been sent yet. "
                                      "Check your answers, then send it again.")), 400
    try:
        referral, _created = journey.submit(session.get(journey.DRAFT_KEY), token)
    except journey.SubmitError:
        draft = journey.current_draft()
        if draft is None:
            return render_template("selfreferral/refer/expired.html", idle_minutes=journey.idle_minutes()), 400
        return redirect(url_for("selfreferral.check"))
    except DBAPIError as exc:
        if not errors.is_storage_failure(exc):
            raise
        return _not_saved()
    session[journey.DONE_KEY] = referral.reference
    session.pop(journey.DRAFT_KEY, None)
    return redirect(url_for("selfreferral.confirmation"))


def _not_saved():
    """The database could not store the referral: nothing was sent, the draft is as it was, and Send works again."""
    db.session.rollback()
    draft = journey.current_draft()
    if draft is None:
        return render_template("selfreferral/refer/expired.html", idle_minutes=journey.idle_minutes()), 400
    return _render_check(draft, _("We could not save this. Please try again.")), 503, {"Retry-After": "60"}


@bp.route("/sent")
def confirmation():
    reference = session.get(journey.DONE_KEY)
    referral = journey.referral_by_reference(reference) if reference else None
    if referral is None:
        return redirect(url_for("selfreferral.start"))
    person, suggestions = journey.while_you_wait(referral)
    return render_template("selfreferral/refer/confirmation.html", referral=referral, wait=journey.typical_wait_days(),
                           suggestions=suggestions, person=person, team=duty.availability(),
                           helping=referral.route != "self", emailed="email" in referral.contact_methods)


# Save and come back later (app/selfreferral/saved_drafts.py)

SAVED_KEY = "referral_saved"


@bp.route("/save", methods=["GET", "POST"])
@limits.saved_draft_email()
@commits
def save_for_later():
    """Ask where to send the link; sending it detaches the draft from this browser."""
    draft, expired = journey.load_draft(touch=True)
    if draft is None:
        return _no_draft(expired)
    answers = draft.answers
    helping = journey.helping(answers)
    if request.method == "POST":
        form = saved_drafts.SaveForm(helping=helping)
    else:
        form = saved_drafts.SaveForm(data={"email": saved_drafts.suggested_email(answers)}, helping=helping)
    if form.validate_on_submit():
        email = form.email.data.strip()
        until = saved_drafts.save(draft, email)
        session[SAVED_KEY] = {"email": email, "until": until.isoformat(), "helping": helping}
        return redirect(url_for("selfreferral.saved"))
    return render_template("selfreferral/refer/save.html", form=form, helping=helping, days=saved_drafts.days(),
                           back_url=_step_url(saved_drafts.resume_step(answers)),
                           idle_minutes=journey.idle_minutes()), (400 if form.errors else 200)


@bp.route("/saved")
def saved():
    """Told once where the link went and until when; the address is then forgotten by this browser's session."""
    info = session.pop(SAVED_KEY, None)
    try:
        until = datetime.fromisoformat(info["until"])
    except (TypeError, KeyError, ValueError):
        return redirect(url_for("selfreferral.start"))
    return render_template("selfreferral/refer/saved.html", email=info.get("email", ""), until=to_local(until),
                           helping=bool(info.get("helping")))


@bp.route("/resume/<token>", methods=["GET", "POST"])
@limits.emailed_link()
@commits
def resume(token):
    """The e-mailed link. Opening it only shows a button, so a mail scanner fetching the link does not use it up."""
    if request.method == "GET":
        status = saved_drafts.link_status(token)
        draft = None
    else:
        draft, status = saved_drafts.resume(token)
    if status != "ok":
        return render_template("selfreferral/refer/link_problem.html", status=status), (
            404 if status == "unknown" else 410)
    if draft is None:
        return render_template("selfreferral/refer/resume.html", days=saved_drafts.days())
    following = saved_drafts.resume_step(draft.answers)
    return redirect(_step_url(following))

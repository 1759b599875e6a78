"""Providers joining the directory: invitations to look after an organisation's listings, and requests to join,
claim or add an organisation. Invitation links are signed, expire, and work once."""
import secrets

from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy import select

from app.accounts import links
from app.accounts import services as accounts
from app.accounts.models import UserRole
from app.accounts.passwords import password_problems
from app.core import validation
from app.core.db import utcnow
from app.core.text import slugify
from app.directory.models import Invitation, JoinRequest, Organisation
from app.directory.models.onboarding import StatusTransitionError
from app.extensions import db

INVITATION_DAYS = 7


class OnboardingError(ValueError):
    pass


# Invitations

def invite(manager, email, organisations):
    email = validation.email(email)
    if email is None:
        raise OnboardingError(_("Enter an email address in the correct format, like name@example.com"))
    if not organisations:
        raise OnboardingError(_("Choose at least one organisation"))
    invitation = Invitation(email=email, organisation_ids=[str(o.id) for o in organisations],
                            invited_by_id=manager.id)
    db.session.add(invitation)
    db.session.flush()
    token = links.serializer("invitation").dumps({"i": invitation.id, "e": email})
    link = links.external_url("onboarding.accept_invitation", token=token)
    links.send_email(email, _("You are invited to keep your listings up to date on Hidden Gems"),
                     "directory/onboarding/email/invitation.txt", link=link, organisations=organisations,
                     days=INVITATION_DAYS)
    return invitation, link


def invitation_from(token):
    try:
        data = links.serializer("invitation").loads(token, max_age=INVITATION_DAYS * 86400)
    except SignatureExpired:
        raise OnboardingError(_("This invitation has expired. Ask the directory team for a new one.")) from None
    except BadSignature:
        raise OnboardingError(_("This invitation link is not valid. Check you copied all of it.")) from None
    invitation = db.session.get(Invitation, data.get("i")) if isinstance(data, dict) else None
    if invitation is None or invitation.email != data.get("e"):
        raise OnboardingError(_("This invitation link is not valid. Check you copied all of it."))
    if invitation.accepted_at is not None:
        raise OnboardingError(_("This invitation has already been used. Sign in instead."))
    return invitation


def accept(invitation, name, password):
    organisations = db.session.execute(select(Organisation).where(
        Organisation.id.in_([int(i) for i in invitation.organisation_ids]))).scalars().all()
    user = accounts.find_user_by_email(invitation.email)
    if user is None:
        problems = password_problems(password, invitation.email)
        if problems:
            raise OnboardingError(str(problems[0]))
        user = accounts.create_user(invitation.email, password, ["provider"], name=name.strip()[:200],
                                    organisations=organisations)
    else:
        if not user.has_role("provider"):
            user.role_rows.append(UserRole(role="provider"))
        for org in organisations:
            if org not in user.organisations:
                user.organisations.append(org)
    invitation.accepted_at = utcnow()
    return user


# Requests to join, claim or add an organisation

def _clean(value, max_length):
    return (value or "").strip()[:max_length]


def request_to_join(name, email, role_at_org, organisation=None, proposed_name="", proposed_details="", message=""):
    email = validation.email(email)
    name, proposed_name = _clean(name, 120), _clean(proposed_name, 200)
    if not name:
        raise OnboardingError(_("Enter your name"))
    if email is None:
        raise OnboardingError(_("Enter an email address in the correct format, like name@example.com"))
    if organisation is None and not proposed_name:
        raise OnboardingError(_("Choose your organisation, or give the name of a new one"))
    request = JoinRequest(name=name, email=email, role_at_org=_clean(role_at_org, 120), organisation=organisation,
                          proposed_name=proposed_name, proposed_details=_clean(proposed_details, 2000),
                          message=_clean(message, 2000))
    db.session.add(request)
    return request


def _decide(join_request, status, manager):
    try:
        join_request.status = status
    except StatusTransitionError:
        raise OnboardingError(_("This request has already been dealt with")) from None
    join_request.decided_by_id, join_request.decided_at = manager.id, utcnow()


def approve_request(join_request, manager):
    _decide(join_request, "approved", manager)
    organisation = join_request.organisation
    if organisation is None:
        slug = slugify(join_request.proposed_name)
        while db.session.execute(select(Organisation.id).where(Organisation.slug == slug)).first():
            slug = f"{slugify(join_request.proposed_name)}-{secrets.token_hex(2)}"
        organisation = Organisation(slug=slug, name=join_request.proposed_name,
                                    description=join_request.proposed_details)
        db.session.add(organisation)
        db.session.flush()
        join_request.organisation = organisation
    return invite(manager, join_request.email, [organisation])


REASON_MAX = 2000


def decline_problem(reason):
    """What is wrong with a reason for declining (None when it can be sent). Too long is refused, never cut."""
    if not (reason or "").strip():
        return _("Give a reason, so the person knows why")
    if len(reason.strip()) > REASON_MAX:
        return _("The reason must be %(max)s characters or fewer", max=f"{REASON_MAX:,}")
    return None


def decline_request(join_request, manager, reason):
    _decide(join_request, "declined", manager)
    problem = decline_problem(reason)
    if problem:
        raise OnboardingError(problem)
    join_request.reason = reason.strip()
    links.send_email(join_request.email, _("Your request to Hidden Gems"), "directory/onboarding/email/declined.txt",
                     request=join_request)

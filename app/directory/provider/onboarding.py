"""Providers joining the directory: invitations to look after an organisation's listings, and requests to join,
claim or add an organisation. Invitation links are signed, expire, and work once."""
import math
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy import select

from app.accounts import links
from app.accounts import services as accounts
from app.accounts.models import UserRole
from app.accounts.passwords import password_problems
from app.core import audit, validation
from app.core.db import utcnow
from app.core.text import slugify
from app.directory.models import Invitation, JoinRequest, Organisation
from app.directory.models.onboarding import StatusTransitionError
from app.extensions import db

INVITATION_DAYS = 7
RESEND_WAIT = timedelta(minutes=10)  # a mistyped click, or a flood of e-mail to one person, is not resent


class OnboardingError(ValueError):
    pass


# Invitations

def invite(manager, email, organisations):
    email = validation.email(email)
    if email is None:
        raise OnboardingError(_("Enter an email address in the correct format, like name@example.com"))
    if not organisations:
        raise OnboardingError(_("Choose at least one organisation"))
    _refuse_deactivated(email)
    invitation = Invitation(email=email, organisation_ids=[str(o.id) for o in organisations],
                            invited_by_id=manager.id)
    db.session.add(invitation)
    db.session.flush()
    audit.log("invitation_send", manager, detail=f"invitation={invitation.id} organisations="
              f"{','.join(invitation.organisation_ids)}")
    return invitation, _send(invitation, organisations)


def _send(invitation, organisations):
    token = links.serializer("invitation").dumps({"i": invitation.id, "e": invitation.email,
                                                  "v": invitation.link_version})
    link = links.external_url("onboarding.accept_invitation", token=token)
    links.send_email(invitation.email, _("You are invited to keep your listings up to date on Hidden Gems"),
                     "directory/onboarding/email/invitation.txt", link=link, organisations=organisations,
                     days=INVITATION_DAYS)
    return link


def _refuse_deactivated(email):
    user = accounts.find_user_by_email(email)
    if user is not None and not user.active:
        raise OnboardingError(_("This person’s account is deactivated. Reactivate it before inviting them."))


def organisations_of(invitation):
    ids = [int(i) for i in invitation.organisation_ids]
    return db.session.execute(select(Organisation).where(Organisation.id.in_(ids))
                              .order_by(Organisation.name)).scalars().all()


def pending_invitations():
    return db.session.execute(select(Invitation).where(Invitation.accepted_at.is_(None))
                              .order_by(Invitation.created_at.desc(), Invitation.id.desc())).scalars().all()


def resend(invitation, sender, now=None):
    """A new link for the same invitation; the old links stop working. At most once every RESEND_WAIT."""
    now = now or utcnow()
    db.session.refresh(invitation, with_for_update=True)  # two clicks at once cannot both pass the wait (PostgreSQL)
    if invitation.accepted_at is not None:
        raise OnboardingError(_("This invitation has already been accepted"))
    _refuse_deactivated(invitation.email)
    wait = RESEND_WAIT - (now - invitation.last_sent_at)
    if wait > timedelta(0):
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        raise OnboardingError(ngettext("It was sent only recently. You can send it again in %(num)s minute.",
                                       "It was sent only recently. You can send it again in %(num)s minutes.",
                                       minutes))
    invitation.link_version = (invitation.link_version or 1) + 1
    invitation.sent_at = now
    audit.log("invitation_resend", sender, detail=f"invitation={invitation.id}")
    return _send(invitation, organisations_of(invitation))


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
    if data.get("v", 1) != invitation.link_version:  # links sent before versions were kept are version 1
        raise OnboardingError(_("This invitation has been sent again, and this link no longer works. Use the link "
                                "in the newest e-mail."))
    user = accounts.find_user_by_email(invitation.email)
    if user is not None and not user.active:
        # Says no more than that: the account's state is the directory team's business.
        raise OnboardingError(_("This invitation can no longer be used. Ask the directory team."))
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
    db.session.flush()
    audit.log("invitation_accept", user, detail=f"invitation={invitation.id} user={user.id}")
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

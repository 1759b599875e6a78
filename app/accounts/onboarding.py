"""Invitations, password resets and requests to join: links are signed, expire, and work once."""
import secrets

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from app.core import mail
from app.accounts import services as accounts
from app.accounts.models import User, UserRole
from app.accounts.onboarding_models import Invitation, JoinRequest
from app.accounts.passwords import hash_password, verify_password
from app.directory.models import Organisation
from app.extensions import db
from app.core.db import utcnow

INVITATION_DAYS = 7
RESET_MINUTES = 60
COMMON_PASSWORDS = {"password123", "qwertyuiop", "1234567890", "letmein123", "password1234", "iloveyou12",
                    "welcome123", "abcdefghij", "passw0rd12", "1q2w3e4r5t", "qwerty1234", "trustno1234"}


class OnboardingError(ValueError):
    pass


def _serializer(salt):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def password_problems(password, email=""):
    """Plain-English reasons a password is not acceptable (empty when it is)."""
    problems = []
    if len(password or "") < accounts.MIN_PASSWORD_LENGTH:
        problems.append(_l("Password must be 10 characters or more"))
    if len(password or "") > 200:
        problems.append(_l("Password must be 200 characters or fewer"))
    lowered = (password or "").lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        problems.append(_l("This password is too easy to guess. Try three or four random words"))
    local = (email or "").split("@")[0].lower()
    if local and len(local) >= 4 and local in lowered:
        problems.append(_l("Password must not contain your email address"))
    return problems


def _send(to, subject, template, **context):
    mail.queue_email(to, subject, template, language="en", kind=template.rsplit("/", 1)[-1], **context)
    db.session.commit()


# Invitations

def invite(manager, email, organisations):
    email = accounts.normalise_email(email)
    if not email or "@" not in email:
        raise OnboardingError(_("Enter an email address in the correct format, like name@example.com"))
    if not organisations:
        raise OnboardingError(_("Choose at least one organisation"))
    invitation = Invitation(email=email, organisation_ids=[str(o.id) for o in organisations],
                            invited_by_id=manager.id)
    db.session.add(invitation)
    db.session.flush()
    token = _serializer("invitation").dumps({"i": invitation.id, "e": email})
    link = url_for("accounts.accept_invitation", token=token, _external=True)
    _send(email, _("You are invited to keep your listings up to date on Hidden Gems"), "accounts/email/invitation.txt",
          link=link, organisations=organisations, days=INVITATION_DAYS)
    return invitation, link


def invitation_from(token):
    try:
        data = _serializer("invitation").loads(token, max_age=INVITATION_DAYS * 86400)
    except SignatureExpired:
        raise OnboardingError(_("This invitation has expired. Ask the directory team for a new one."))
    except BadSignature:
        raise OnboardingError(_("This invitation link is not valid. Check you copied all of it."))
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
    db.session.commit()
    return user


# Password reset

def request_reset(email):
    """Always behaves the same, whether or not the address has an account."""
    user = accounts.find_user_by_email(email)
    if user is None or not user.active:
        return None
    token = _serializer("reset").dumps({"u": user.id, "h": user.password_hash[-16:]})
    link = url_for("accounts.reset_password", token=token, _external=True)
    _send(user.email, _("Reset your Hidden Gems password"), "accounts/email/reset.txt", link=link,
          minutes=RESET_MINUTES)
    return link


def user_for_reset(token):
    try:
        data = _serializer("reset").loads(token, max_age=RESET_MINUTES * 60)
    except SignatureExpired:
        raise OnboardingError(_("This link has expired. Ask for a new one."))
    except BadSignature:
        raise OnboardingError(_("This link is not valid. Ask for a new one."))
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    # The link carries part of the old password hash, so it stops working once used.
    if user is None or not user.active or user.password_hash[-16:] != data.get("h"):
        raise OnboardingError(_("This link has already been used or is not valid. Ask for a new one."))
    return user


def set_password(user, password):
    problems = password_problems(password, user.email)
    if problems:
        raise OnboardingError(str(problems[0]))
    user.password_hash = hash_password(password)
    user.session_token = secrets.token_hex(16)  # signs out every other session
    db.session.commit()


def change_password(user, current, new):
    if not verify_password(user.password_hash, current or ""):
        raise OnboardingError(_("Your current password is not right"))
    set_password(user, new)


# Requests to join, claim or add an organisation

def request_to_join(name, email, role_at_org, organisation=None, proposed_name="", proposed_details="", message=""):
    email = accounts.normalise_email(email)
    if not (name or "").strip():
        raise OnboardingError(_("Enter your name"))
    if not email or "@" not in email:
        raise OnboardingError(_("Enter an email address in the correct format, like name@example.com"))
    if organisation is None and not (proposed_name or "").strip():
        raise OnboardingError(_("Choose your organisation, or give the name of a new one"))
    request = JoinRequest(name=name.strip()[:120], email=email, role_at_org=(role_at_org or "").strip()[:120],
                          organisation=organisation, proposed_name=(proposed_name or "").strip()[:200],
                          proposed_details=(proposed_details or "").strip()[:2000],
                          message=(message or "").strip()[:2000])
    db.session.add(request)
    db.session.commit()
    return request


def approve_request(join_request, manager):
    from app.demo.loader import slugify
    if join_request.status != "pending":
        raise OnboardingError(_("This request has already been dealt with"))
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
    join_request.status, join_request.decided_by_id, join_request.decided_at = "approved", manager.id, utcnow()
    db.session.commit()
    return invite(manager, join_request.email, [organisation])


def decline_request(join_request, manager, reason):
    if join_request.status != "pending":
        raise OnboardingError(_("This request has already been dealt with"))
    if not (reason or "").strip():
        raise OnboardingError(_("Give a reason, so the person knows why"))
    join_request.status, join_request.reason = "declined", reason.strip()[:2000]
    join_request.decided_by_id, join_request.decided_at = manager.id, utcnow()
    db.session.commit()
    _send(join_request.email, _("Your request to Hidden Gems"), "accounts/email/declined.txt", request=join_request)

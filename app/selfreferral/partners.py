"""Partner access: which partner staff read the referrals shared with which organisation.

Looking after an organisation's listings (User.organisations, granted by a directory manager) is a different grant
and gives no referral access. Only SPA staff or an admin give this one (the views check the role); every grant and
removal is audited.
"""
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User, UserRole
from app.directory.models import Organisation
from app.extensions import db
from app.selfreferral.models import PartnerAccess
from app.selfreferral.spa import SpaError, audit


def partner_staff():
    return db.session.execute(select(User).join(UserRole).where(UserRole.role == "partner")
                              .order_by(User.email)).scalars().all()


def organisations():
    return db.session.execute(select(Organisation).order_by(Organisation.name)).scalars().all()


def grants():
    return db.session.execute(select(PartnerAccess).join(PartnerAccess.user).join(PartnerAccess.organisation)
                              .order_by(User.email, Organisation.name)).scalars().all()


MAX_ID = 2**31 - 1  # larger ids cannot exist, and PostgreSQL refuses to compare them with an integer column


def _by_id(model, value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return db.session.get(model, number) if 0 < number <= MAX_ID else None


def staff_member(value):
    user = _by_id(User, value)
    return user if user is not None and user.has_role("partner") else None


def grant(user, organisation, granted_by):
    """Let `user` (partner staff) read referrals shared with `organisation`; granting twice keeps one grant."""
    if user is None:
        raise SpaError(_("Choose the partner staff member"))
    if organisation is None:
        raise SpaError(_("Choose the partner organisation"))
    existing = db.session.execute(select(PartnerAccess).where(
        PartnerAccess.user_id == user.id, PartnerAccess.organisation_id == organisation.id)).scalar_one_or_none()
    if existing is not None:
        return existing
    access = PartnerAccess(user=user, organisation=organisation, granted_by_id=granted_by.id)
    db.session.add(access)
    audit(granted_by, "partner_access_grant", detail=f"user={user.id} organisation={organisation.slug}")
    return access


def get_grant(access_id):
    return _by_id(PartnerAccess, access_id)


def remove(access, removed_by):
    audit(removed_by, "partner_access_remove",
          detail=f"user={access.user_id} organisation={access.organisation.slug}")
    db.session.delete(access)


def organisation(value):
    return _by_id(Organisation, value)

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import utcnow
from app.extensions import db

# partner: staff of a partner organisation who see only the referrals shared with it.
ROLES = ("provider", "manager", "spa", "partner", "translator", "admin")
ROLE_LABELS = {"provider": _l("Provider"), "manager": _l("Directory manager"),
               "spa": _l("Single point of access staff"), "partner": _l("Partner organisation staff"),
               "translator": _l("Translator"), "admin": _l("Administrator")}

provider_organisations = Table(
    "provider_organisation",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
)


class UserRole(db.Model):
    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))


class User(UserMixin, db.Model):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Changing it ends every existing session ("sign out everywhere").
    session_token: Mapped[str] = mapped_column(String(64))
    created_at = mapped_column(DateTime, default=utcnow)
    last_login_at = mapped_column(DateTime, nullable=True)

    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    organisations = relationship("Organisation", secondary=provider_organisations, lazy="selectin",
                                 back_populates="providers")

    @property
    def roles(self):
        return {row.role for row in self.role_rows}

    def has_role(self, *roles):
        return bool(self.roles.intersection(roles))

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        # The token is part of the id so a rotated token invalidates old cookies.
        return f"{self.id}:{self.session_token}"

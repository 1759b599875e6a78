"""The directory, shaped after Open Referral UK so its API can map onto it 1:1."""
import uuid
from datetime import date

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.core.db import CodeList, utcnow
from app.directory.models import statuses
from app.directory.models.statuses import ListingStatus
from app.extensions import db


def new_uuid():
    """A stable public id (Open Referral UK's `id`): made once on insert, never changed by an edit."""
    return str(uuid.uuid4())


def _uuid_column():
    return mapped_column(String(36), unique=True, nullable=False, default=new_uuid)

service_categories = Table(
    "service_category",
    db.metadata,
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("category.id", ondelete="CASCADE"), primary_key=True),
)


class Neighbourhood(db.Model):
    __tablename__ = "neighbourhood"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # Outward codes (or district prefixes such as WC1) this neighbourhood covers.
    outward_codes = mapped_column(CodeList, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Category(db.Model):
    __tablename__ = "category"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), nullable=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    parent = relationship("Category", remote_side=[id], back_populates="children")
    children = relationship("Category", back_populates="parent", order_by="Category.position")


class Organisation(db.Model):
    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    charity_number: Mapped[str] = mapped_column(String(20), default="")
    company_number: Mapped[str] = mapped_column(String(20), default="")
    logo_url: Mapped[str] = mapped_column(String(500), default="")
    # Trusted by a directory manager: its providers' translations go live without waiting for a check.
    translations_trusted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Counts the versions that went live: a waiting change records the one it was based on.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at = mapped_column(DateTime, default=utcnow)
    updated_at = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    services = relationship("Service", back_populates="organisation", order_by="Service.name",
                            cascade="all, delete-orphan")
    locations = relationship("Location", back_populates="organisation", order_by="Location.name",
                             cascade="all, delete-orphan")
    providers = relationship("User", secondary="provider_organisation", back_populates="organisations")


class Location(db.Model):
    __tablename__ = "location"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    address_1: Mapped[str] = mapped_column(String(200), default="")
    address_2: Mapped[str] = mapped_column(String(200), default="")
    town: Mapped[str] = mapped_column(String(100), default="London")
    postcode: Mapped[str] = mapped_column(String(10), default="", index=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Shown with the directions, for people who come by train, Tube or Overground; None when nobody has said.
    nearest_station: Mapped[str | None] = mapped_column(String(120), nullable=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhood.id"), nullable=True, index=True)

    organisation = relationship("Organisation", back_populates="locations")
    neighbourhood = relationship("Neighbourhood", lazy="joined")

    @property
    def address_lines(self):
        return [line for line in (self.name, self.address_1, self.address_2, self.town, self.postcode) if line]


class Service(db.Model):
    """A listing: one thing an organisation offers."""

    __tablename__ = "service"
    # (status, uuid): the open API pages through published listings in UUID order without sorting them all.
    __table_args__ = (statuses.check_constraint(ListingStatus), Index("ix_service_status_uuid", "status", "uuid"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # The description rendered and sanitised once, when it is saved (app/directory/rendered.py).
    description_html: Mapped[str | None] = mapped_column(Text, nullable=True)
    access_method: Mapped[str] = mapped_column(String(20), default="self_refer")
    access_text: Mapped[str] = mapped_column(Text, default="")
    eligibility: Mapped[str] = mapped_column(Text, default="")
    min_age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    audience = mapped_column(CodeList, default=list)
    cost_type: Mapped[str] = mapped_column(String(20), default="free")
    cost_text: Mapped[str] = mapped_column(String(300), default="")
    formats = mapped_column(CodeList, default=list)
    languages = mapped_column(CodeList, default=list)
    accessibility = mapped_column(CodeList, default=list)
    capacity_status: Mapped[str] = mapped_column(String(20), default="taking", index=True)
    capacity_note: Mapped[str] = mapped_column(String(300), default="")
    capacity_updated_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_role: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[str] = mapped_column(String(20), default=ListingStatus.DRAFT.value, index=True)
    last_verified_at = mapped_column(DateTime, nullable=True)
    last_verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                            nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at = mapped_column(DateTime, default=utcnow)
    # Indexed: the open API's ETag asks for the newest change on every request.
    updated_at = mapped_column(DateTime, default=utcnow, onupdate=utcnow, index=True)
    # When the English words (name, description, how to get in, who it is for) last changed: a translation
    # older than this may no longer say the same (translations.is_stale).
    text_changed_at = mapped_column(DateTime, nullable=True)

    organisation = relationship("Organisation", back_populates="services", lazy="joined")
    categories = relationship("Category", secondary=service_categories, lazy="selectin",
                              order_by="Category.position")
    service_locations = relationship("ServiceAtLocation", back_populates="service", cascade="all, delete-orphan",
                                     lazy="selectin")
    schedules = relationship("Schedule", back_populates="service", cascade="all, delete-orphan", lazy="selectin",
                             order_by="(Schedule.kind, Schedule.weekday, Schedule.event_date, Schedule.opens_at)")
    last_verified_by = relationship("User", foreign_keys=[last_verified_by_id])
    closures = relationship("ServiceClosure", back_populates="service", cascade="all, delete-orphan",
                            lazy="selectin", order_by="ServiceClosure.starts_on")

    @validates("status")
    def _allowed_status(self, key, value):
        value = statuses.check("listing", self.status, value)
        if value == ListingStatus.PUBLISHED and self.status != value and self.last_verified_at is None:
            # Freshness starts when a listing goes live: one published today (a new draft, or a CSV row with no
            # last_verified) was written today, not "never checked".
            self.last_verified_at = utcnow()
        return value

    @property
    def locations(self):
        return [link.location for link in self.service_locations]

    @property
    def remote_only(self):
        return not self.service_locations

    @property
    def weekly_sessions(self):
        return [s for s in self.schedules if s.kind == "weekly"]

    @property
    def events(self):
        return [s for s in self.schedules if s.kind == "event"]


class ServiceAtLocation(db.Model):
    __tablename__ = "service_at_location"
    __table_args__ = (UniqueConstraint("service_id", "location_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)

    service = relationship("Service", back_populates="service_locations")
    location = relationship("Location", lazy="joined")


class Schedule(db.Model):
    """A recurring session (kind 'weekly') or a one-off event (kind 'event'), along iCal lines.

    A recurring session repeats every `interval` weeks on `weekday` (freq WEEKLY, counted from the week of
    `starts_on`), or on the `week_of_month`-th `weekday` of every month (freq MONTHLY; -1 is the last one).
    It can run in school term time only, and is off on the listing's closures. A session whose closing time
    is earlier than its opening time runs past midnight; equal opening and closing times mean open all day.
    The rules live in app.directory.schedules.
    """

    __tablename__ = "schedule"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="SET NULL"), nullable=True)
    kind: Mapped[str] = mapped_column(String(10), default="weekly")
    weekday: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 0 = Monday
    event_date: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    opens_at = mapped_column(Time, nullable=False)
    closes_at = mapped_column(Time, nullable=False)
    title: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(300), default="")
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    freq: Mapped[str | None] = mapped_column(String(10), nullable=True,  # WEEKLY or MONTHLY; None for an event
                                             default=lambda ctx: None if ctx.get_current_parameters().get(
                                                 "kind") == "event" else "WEEKLY")
    interval: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    week_of_month: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1-4, or -1 for the last
    starts_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # dtstart: the first (or any) session
    term_time_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    service = relationship("Service", back_populates="schedules")
    location = relationship("Location")

    @property
    def all_day(self):
        return self.opens_at == self.closes_at

    @property
    def past_midnight(self):
        return self.closes_at < self.opens_at

    def occurs_on(self, day, holidays=None):
        """Whether a session starts on `day` (closures and, for term-time sessions, school holidays honoured)."""
        from app.directory import schedules
        return schedules.occurs_on(self, day, holidays)

    def ical(self):
        """The iCal-style rule (freq, interval, byday, dtstart, until, ...) the Open Referral UK API gives."""
        from app.directory import schedules
        return schedules.ical(self)


class ServiceClosure(db.Model):
    """Dates a listing's regular sessions are off, like 24 December to 2 January. One-off events still run."""

    __tablename__ = "service_closure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)

    service = relationship("Service", back_populates="closures")


class SchoolHoliday(db.Model):
    """The borough's school holidays (and inset days): term-time-only sessions do not run on them."""

    __tablename__ = "school_holiday"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    starts_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)


def _english_text_changed(target, value, oldvalue, initiator):
    from sqlalchemy.orm.base import NO_VALUE
    if oldvalue not in (NO_VALUE, None) and (value or "").strip() != (oldvalue or "").strip():
        target.text_changed_at = utcnow()
    return value


for _field in ("name", "description", "access_text", "eligibility"):
    # active_history: the old value is loaded even when the attribute was expired by a commit
    event.listen(getattr(Service, _field), "set", _english_text_changed, retval=True, active_history=True)


def _school_holidays_changed(mapper, connection, target):
    # Term-time sessions read the holidays once a request (schedules.school_holidays): a change is seen at once.
    from app.directory.schedules import forget_school_holidays
    forget_school_holidays()


for _moment in ("after_insert", "after_update", "after_delete"):
    event.listen(SchoolHoliday, _moment, _school_holidays_changed)

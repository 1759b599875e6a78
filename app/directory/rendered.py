"""Listings' descriptions rendered from Markdown once, when they are saved, and stored as sanitised HTML.

Rendering Markdown took most of a results page's time (20 conversions a page, on every request). One SQLAlchemy
hook renders it whenever a description is added or changed, whatever the path (a provider's save, moderation,
restoring a version, CSV import, the demo data, a translation), so no caller has to remember. Rows written before
the column existed, or in bulk without the ORM, are filled in by `flask directory render-html` (`flask directory
seed` runs it). A page shown before that renders the Markdown itself, as it always did.
"""
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history

from app.core import dataversion
from app.core.templating import render_markdown, sanitise_html
from app.directory.models import (
    Category,
    Location,
    Neighbourhood,
    Organisation,
    Schedule,
    SchoolHoliday,
    SearchSynonymEdit,
    Service,
    ServiceAtLocation,
    ServiceClosure,
    ServiceTranslation,
    SitePage,
)
from app.extensions import db

RENDERED = (Service, ServiceTranslation)


def html_for(text):
    """What is stored: the Markdown as sanitised HTML (str, or "" for no text)."""
    return str(render_markdown(text)) if text else ""


def shown(stored, text):
    """The description as a page shows it: the stored HTML, sanitised again on the way out; rendered from the
    Markdown only when nothing is stored yet."""
    if stored is None:
        return render_markdown(text)
    return sanitise_html(stored)


def _before_flush(session, flush_context, instances):
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, RENDERED) and (obj.description_html is None
                                          or get_history(obj, "description").has_changes()):
            obj.description_html = html_for(obj.description)


def render_missing(everything=False, batch=500):
    """Fill in the stored HTML where it is missing (or, with everything=True, for every row: after a change to
    the sanitiser's rules). Returns how many rows were rendered."""
    done = 0
    for model in RENDERED:
        query = select(model.id, model.description).order_by(model.id)
        if not everything:
            query = query.where(or_(model.description_html.is_(None)))
        rows = db.session.execute(query).all()
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            # Updates by primary key in bulk: no flush hooks, so no re-indexing of words that did not change.
            db.session.execute(update(model), [{"id": row.id, "description_html": html_for(row.description)}
                                               for row in chunk])
            done += len(chunk)
    if done:
        dataversion.touch()
    db.session.commit()
    return done


def init_app(app):
    dataversion.watch(Service, ServiceTranslation, Organisation, Location, ServiceAtLocation, Schedule, Category,
                      Neighbourhood, SitePage, ServiceClosure, SchoolHoliday, SearchSynonymEdit)
    if getattr(init_app, "_listening", False):
        return
    event.listen(Session, "before_flush", _before_flush)
    init_app._listening = True

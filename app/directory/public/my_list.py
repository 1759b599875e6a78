"""'My list': listings anyone can collect in their session, print as a handout or share as a link."""
from flask import session, url_for
from sqlalchemy import select

from app.directory.models import Service
from app.extensions import db

MAX_ITEMS = 30
KEY = "my_list"


def ids():
    value = session.get(KEY, [])
    return [i for i in value if isinstance(i, int)][:MAX_ITEMS] if isinstance(value, list) else []


def add(service):
    current = ids()
    if service.id in current:
        return True
    if len(current) >= MAX_ITEMS:
        return False
    session[KEY] = current + [service.id]
    return True


def add_all(services):
    """Add a shared list's listings to this person's own, after what is already there.
    Returns how many were new, and whether some did not fit."""
    current = ids()
    new = [s.id for s in services if s.id not in current]
    room = MAX_ITEMS - len(current)
    session[KEY] = current + new[:max(room, 0)]
    return min(len(new), max(room, 0)), len(new) > room


def remove(slug):
    service = db.session.execute(select(Service).where(Service.slug == str(slug)[:160])).scalar_one_or_none()
    if service is not None:
        session[KEY] = [i for i in ids() if i != service.id]


def _published(where):
    return db.session.execute(select(Service).where(Service.status == "published", where)).scalars().all()


def services():
    wanted = ids()
    found = {s.id: s for s in _published(Service.id.in_(wanted))} if wanted else {}
    return [found[i] for i in wanted if i in found]


def services_from_slugs(raw):
    slugs = [slug.strip() for slug in str(raw or "")[:5000].split(",") if slug.strip()][:MAX_ITEMS]
    found = {s.slug: s for s in _published(Service.slug.in_(slugs))} if slugs else {}
    return [found[slug] for slug in dict.fromkeys(slugs) if slug in found]


def share_url(items):
    return url_for("directory.my_list_page", items=",".join(s.slug for s in items), _external=True) if items else None

"""Public ids for Open Referral UK.

Rows that can be linked to from outside keep a stored UUID (organisation, service, location, service at
location: migration 0023). Everything else is derived, the same every time, with uuid5 from a stable key:
taxonomies and terms from their codes, and a listing's contact, phone, cost, languages, attributes,
schedules and addresses from the listing's own UUID (see each serialiser).
"""
import re
import uuid

# Fixed for ever: changing it would change every derived id.
NAMESPACE = uuid.UUID("1e45939e-f0ac-5b78-9203-ad1b2d24a239")
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def derived(*parts):
    """A UUID for a thing that has no row of its own, from the parts of its stable key."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


def parse(value):
    """The UUID in canonical (lower-case) form, or None when `value` is not one."""
    if not isinstance(value, str) or not _UUID_RE.match(value.strip()):
        return None
    return value.strip().lower()

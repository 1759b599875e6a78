"""Text helpers every domain uses."""
import re

from anyascii import anyascii


def slugify(text, max_length=80, fallback="listing"):
    """'Café Chat & Tea' -> 'cafe-chat-tea', 'مجموعة القهوة' -> 'mjmw-h-lqhwh': lower-case ASCII words joined by
    hyphens. Other scripts are transliterated (anyascii), so a name in Arabic or Bengali gets a slug of its own
    rather than the fallback."""
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(text or "").lower()).strip("-")
    return slug[:max_length].strip("-") or fallback

"""Text helpers every domain uses."""
import re
import unicodedata


def slugify(text, max_length=80, fallback="listing"):
    """'Café Chat & Tea' -> 'cafe-chat-tea': lower-case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-") or fallback

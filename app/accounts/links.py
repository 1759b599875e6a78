"""Links e-mailed to people (password resets here, invitations in the directory): signed, they expire."""
from flask import current_app
from itsdangerous import URLSafeTimedSerializer

from app.core import mail


def serializer(salt):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def path_for(endpoint, **values):
    """A route's path from the URL map alone: it works without a request (the command line)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def external_url(endpoint, **values):
    """An absolute link for an e-mail: SITE_URL and the route's path, whatever Host the request carried."""
    return current_app.config["SITE_URL"].rstrip("/") + path_for(endpoint, **values)


def send_email(to, subject, template, **context):
    """Queued in English in the current transaction: the caller commits it with the change it reports."""
    mail.queue_email(to, subject, template, language="en", kind=template.rsplit("/", 1)[-1], **context)

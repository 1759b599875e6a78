"""Links e-mailed to people (password resets here, invitations in the directory): signed, they expire."""
from flask import current_app
from itsdangerous import URLSafeTimedSerializer

from app.core import mail


def serializer(salt):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def send_email(to, subject, template, **context):
    """Queued in English in the current transaction: the caller commits it with the change it reports."""
    mail.queue_email(to, subject, template, language="en", kind=template.rsplit("/", 1)[-1], **context)

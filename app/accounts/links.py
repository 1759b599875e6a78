"""Links e-mailed to people (password resets here, invitations in the directory): signed, they expire."""
from flask import current_app
from itsdangerous import URLSafeTimedSerializer

from app.core import mail
from app.extensions import db


def serializer(salt):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def send_email(to, subject, template, **context):
    """In English; committed with the change it reports before a first try at sending."""
    mail.queue_email(to, subject, template, language="en", kind=template.rsplit("/", 1)[-1], **context)
    db.session.commit()

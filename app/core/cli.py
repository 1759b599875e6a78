"""Commands for what every domain uses: the e-mail outbox."""
import click
from flask.cli import AppGroup

from app.core import mail

outbox_cli = AppGroup("outbox", help="Queued e-mail.")


@outbox_cli.command("send")
def send():
    """Send queued e-mail (retries what failed before)."""
    sent, failed = mail.send_pending(limit=500)
    click.echo(f"Sent {sent}; {failed} still waiting.")

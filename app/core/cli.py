"""Commands for what every domain uses: the e-mail outbox."""
from datetime import timedelta

import click
from flask.cli import AppGroup

from app.core import mail

outbox_cli = AppGroup("outbox", help="Queued e-mail.")


@outbox_cli.command("send")
@click.option("--reclaim", is_flag=True,
              help="Also send at once what a stopped sender left half-sent (its claim has not expired yet). "
                   "Only when no other sender is running: the site stopped, or just restarted after a crash.")
def send(reclaim):
    """Send queued e-mail (retries what failed before)."""
    sent, failed = mail.send_pending(limit=500, **({"reclaim_after": timedelta(0)} if reclaim else {}))
    click.echo(f"Sent {sent}; {failed} still waiting.")

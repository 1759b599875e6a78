import json

import click
from flask import current_app
from flask.cli import AppGroup

from app.core import crypto
from app.core.audit import AuditEvent
from app.extensions import db
from app.selfreferral import spa, subject_access

referrals_cli = AppGroup("referrals", help="Referral records: retention, subject access, keys.")


@referrals_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Say what would be deleted, deleting nothing.")
def purge(dry_run):
    """Delete closed referrals older than REFERRAL_RETENTION_MONTHS, open ones idle for
    OPEN_REFERRAL_RETENTION_MONTHS, expired drafts and old sent mail."""
    counts = spa.run_purge(dry_run=dry_run)
    months = current_app.config["OPEN_REFERRAL_RETENTION_MONTHS"]
    what = (f"{counts['referrals']} closed referrals, {counts['open_referrals']} open referrals with no activity for "
            f"{months} months, {counts['drafts']} expired drafts, {counts['saved_drafts']} saved drafts whose link "
            f"expired and {counts['mail']} old messages.")
    click.echo(f"Dry run, nothing was deleted. Would delete {what}" if dry_run else f"Deleted {what}")


@referrals_cli.command("export")
@click.argument("reference")
@click.option("--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout).")
def export(reference, output):
    """Everything held about one person, as JSON, for a subject access request."""
    referral = spa.get_referral(reference.strip().upper())
    if referral is None:
        raise click.ClickException(f"No referral with the reference {reference}")
    db.session.add(AuditEvent(action="export", referral_id=referral.id, record=referral.reference,
                              detail="subject access request"))
    db.session.commit()
    json.dump(subject_access.export_record(referral), output, ensure_ascii=False, indent=2)
    output.write("\n")


@referrals_cli.command("rotate-key")
def rotate_key():
    """Re-encrypt all personal data under the first key in PERSONAL_DATA_KEYS."""
    count = crypto.rotate_all(db.session)
    db.session.commit()
    click.echo(f"Re-encrypted {count} values under the newest key.")

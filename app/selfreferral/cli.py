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
def purge():
    """Delete closed referrals older than REFERRAL_RETENTION_MONTHS, open ones idle for
    OPEN_REFERRAL_RETENTION_MONTHS, expired drafts and old sent mail."""
    counts = spa.run_purge()
    months = current_app.config["OPEN_REFERRAL_RETENTION_MONTHS"]
    click.echo(f"Deleted {counts['referrals']} closed referrals, {counts['open_referrals']} open referrals with no "
               f"activity for {months} months, {counts['drafts']} expired drafts, {counts['saved_drafts']} saved "
               f"drafts whose link expired and {counts['mail']} old messages.")


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

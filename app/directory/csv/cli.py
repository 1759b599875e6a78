"""`flask csv import FILE [--dry-run]` and `flask csv export [--output FILE]`."""
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from app.directory.csv.export import iter_export
from app.directory.csv.importer import import_csv
from app.directory.csv.reader import locale_for_messages, max_bytes, too_large_message
from app.directory.models import Service
from app.extensions import db

csv_cli = AppGroup("csv", help="Import and export the directory as a CSV file (one row per listing).")


def _echo_report(report):
    if report.file_error:
        click.echo(report.file_error, err=True)
        return
    for problem in report.problems:
        click.echo(_("Row %(row)s, %(column)s: %(message)s", row=problem.row, column=problem.column or "-",
                     message=problem.message))
    if report.problems:
        click.echo(ngettext("%(num)s problem found. Nothing was changed.",
                            "%(num)s problems found. Nothing was changed.", len(report.problems)), err=True)
        return
    summary = _("%(new)s new listings, %(updated)s updated, %(unchanged)s unchanged, %(orgs)s new organisations.",
                new=report.new_services, updated=report.updated_services, unchanged=report.unchanged_services,
                orgs=report.new_organisations)
    for row, name, slug in report.matched_by_name:
        click.echo(_("Row %(row)s has no service_slug: it updates the listing ‘%(name)s’ (%(slug)s) of the same "
                     "name.", row=row, name=name, slug=slug))
    if report.applied:
        click.echo(_("Imported: %(summary)s", summary=summary))
    else:
        click.echo(_("Dry run, nothing was changed. If imported: %(summary)s", summary=summary))


@csv_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change, changing nothing.")
def import_command(file, dry_run):
    """Import listings from FILE (the layout `flask csv export` writes; see docs/csv.md)."""
    with locale_for_messages():
        if file.stat().st_size > max_bytes():
            click.echo(too_large_message(), err=True)
            click.get_current_context().exit(1)
        report = import_csv(file.read_bytes(), dry_run=dry_run)
        _echo_report(report)
    if not report.ok:
        click.get_current_context().exit(1)


@csv_cli.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
def export_command(output):
    """Export every listing as CSV (UTF-8 with a byte order mark)."""
    if output is None:
        for chunk in iter_export():
            click.echo(chunk, nl=False)
        return
    try:
        with output.open("w", encoding="utf-8", newline="") as handle:
            for chunk in iter_export():
                handle.write(chunk)
    except OSError as exc:
        raise click.ClickException(f"Could not write {output}: {exc.strerror or exc}") from None
    count = db.session.execute(select(func.count(Service.id))).scalar_one()
    click.echo(f"Wrote {count} listings to {output}.", err=True)

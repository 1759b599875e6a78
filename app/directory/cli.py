import time

import click
from flask.cli import AppGroup

from app.directory import freshness, listings, rendered, school_holidays, search, site_pages
from app.extensions import db

directory_cli = AppGroup("directory", help="Directory reference data.")
search_cli = AppGroup("search", help="The search index.")
postcodes_cli = AppGroup("postcodes", help="The offline postcode lookup for 'near me'.")


@postcodes_cli.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
def import_postcodes(source):
    """Build instance/london_outcodes.csv from the ONS Postcode Directory CSV (pcds, lat, long columns)."""
    from pathlib import Path

    from flask import current_app

    from app.directory import postcodes
    destination = Path(current_app.config["INSTANCE_PATH"]) / "london_outcodes.csv"
    try:
        count = postcodes.import_nspl(source, destination)
    except postcodes.PostcodeFileError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"Could not read {source} or write {destination}: {exc.strerror}") from None
    click.echo(f"Wrote {count} London districts to {destination}; it is used instead of the shipped file.")


@directory_cli.command("seed")
def seed():
    """Create or update categories and neighbourhoods, and add the site pages' default text where a page has none
    (safe to repeat: managers' edits are never overwritten)."""
    listings.seed_reference_data()
    created = site_pages.seed_defaults()
    holidays = school_holidays.seed_defaults()
    db.session.commit()
    rendered_count = rendered.render_missing()
    click.echo(f"Categories and neighbourhoods are up to date. Site pages added: {created}. "
               f"School holidays added: {holidays}. Descriptions rendered: {rendered_count}.")


@directory_cli.command("render-html")
@click.option("--all", "everything", is_flag=True, help="Render every description again (after a change to the "
                                                         "allowed HTML), not only those with none stored.")
def render_html(everything):
    """Store each listing's description as sanitised HTML where it is missing (rows from before migration 0025,
    or written in bulk)."""
    click.echo(f"Descriptions rendered: {rendered.render_missing(everything=everything)}.")


@search_cli.command("rebuild")
def rebuild():
    """Rebuild the index from the database, then swap it in atomically."""
    started = time.perf_counter()
    count = search.rebuild_index(listings.all_services_for_index())
    click.echo(f"Indexed {count} published listings in {time.perf_counter() - started:.1f} s.")


@directory_cli.command("remind")
@click.option("--dry-run", is_flag=True, help="Say who would be e-mailed, sending nothing and recording nothing.")
def remind(dry_run):
    """E-mail providers whose published listings need checking (at most once a week each)."""
    result = freshness.send_reminders(dry_run=dry_run)
    if dry_run:
        click.echo(f"Dry run, nothing was sent. Providers who would be e-mailed: {result.providers_emailed}. "
                   f"Listings they would include: {result.listings_included}. ", nl=False)
    else:
        click.echo(f"Providers e-mailed: {result.providers_emailed}. Listings included: {result.listings_included}. ",
                   nl=False)
    click.echo(f"Providers skipped (reminded in the last 7 days): {result.providers_skipped}.")
    click.echo(f"Listings that need checking with no active provider to remind: {result.listings_unreminded}.")
    if result.failed:
        click.echo(f"{result.failed} message(s) could not be sent yet; `flask outbox send` retries them.")


@directory_cli.command("export-oruk")
@click.argument("folder")
def export_oruk(folder):
    """Write every published listing as Open Referral UK JSON into FOLDER (one file per kind)."""
    from app.directory.oruk import export
    try:
        counts = export.export(folder)
    except export.ExportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("Wrote " + ", ".join(f"{name} ({count})" for name, count in counts.items()) + f" to {folder}.")

import time

import click
from flask.cli import AppGroup

from app.directory import demo, search, services

demo_cli = AppGroup("demo", help="Demo data.")
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
    count = postcodes.import_nspl(source, destination)
    click.echo(f"Wrote {count} London districts to {destination}; it is used instead of the shipped file.")


@directory_cli.command("seed")
def seed():
    """Create or update categories and neighbourhoods (safe to repeat)."""
    services.seed_reference_data()
    click.echo("Categories and neighbourhoods are up to date.")


@demo_cli.command("load")
def load():
    """Load the fictional demo directory and one account per role (safe to repeat)."""
    if search.index_status()["status"] != "ok":
        search.rebuild_index([])  # so new listings are indexed as they are committed
    added, created = demo.load_demo()
    from app.selfreferral.demo import load_demo_referrals
    referrals = load_demo_referrals()
    click.echo(f"Demo listings added: {added}. Demo accounts created: {len(created)}. "
               f"Demo referrals added: {referrals}.")
    click.echo("Demo sign-in (demo data only):")
    for email, _name, roles, password in demo.DEMO_ACCOUNTS:
        click.echo(f"  {roles[0]:<11} {email}  password: {password}")


@demo_cli.command("generate")
@click.option("--listings", type=click.IntRange(1, 1_000_000), required=True)
@click.option("--seed", type=int, default=7)
def generate(listings, seed):
    """Insert N synthetic listings for benchmarks (run `flask search rebuild` after)."""
    started = time.perf_counter()
    made = demo.generate_listings(listings, seed=seed)
    click.echo(f"Generated {made} listings in {time.perf_counter() - started:.1f} s.")


@search_cli.command("rebuild")
def rebuild():
    """Rebuild the index from the database, then swap it in atomically."""
    started = time.perf_counter()
    count = search.rebuild_index(services.all_services_for_index())
    click.echo(f"Indexed {count} published listings in {time.perf_counter() - started:.1f} s.")

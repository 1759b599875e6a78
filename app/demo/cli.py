"""`flask demo`: fictional data for trying the site and for benchmarks. Only app/cli.py imports app.demo."""
import time

import click
from flask import current_app
from flask.cli import AppGroup

from app.demo import loader
from app.demo.generate import generate_listings
from app.demo.referrals import load_demo_referrals
from app.directory import search
from app.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load():
    """Load the fictional demo directory and one account per role (safe to repeat). Development only."""
    if current_app.config.get("APP_ENV") != "development":
        # The demo accounts' passwords are in the README: never on a site with real people's data.
        raise click.ClickException("The demo data is for development only (APP_ENV=development): its accounts' "
                                   "passwords are published.")
    if search.index_status()["status"] != "ok":
        search.rebuild_index([])  # so new listings are indexed as they are committed
    added, created = loader.load_demo()
    referrals = load_demo_referrals()
    db.session.commit()
    click.echo(f"Demo listings added: {added}. Demo accounts created: {len(created)}. "
               f"Demo referrals added: {referrals}.")
    click.echo("Demo sign-in (demo data only):")
    for email, _name, roles, password in loader.DEMO_ACCOUNTS:
        click.echo(f"  {roles[0]:<11} {email}  password: {password}")


@demo_cli.command("generate")
@click.option("--listings", type=click.IntRange(1, 1_000_000), required=True)
@click.option("--seed", type=int, default=7)
def generate(listings, seed):
    """Insert N synthetic listings for benchmarks (run `flask search rebuild` after)."""
    started = time.perf_counter()
    made = generate_listings(listings, seed=seed)
    click.echo(f"Generated {made} listings in {time.perf_counter() - started:.1f} s.")

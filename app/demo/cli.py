"""`flask demo`: fictional data for trying the site and for benchmarks. Nothing else imports app.demo."""
import time

import click
from flask.cli import AppGroup

from app.demo import loader as demo
from app.directory import search

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load():
    """Load the fictional demo directory and one account per role (safe to repeat)."""
    if search.index_status()["status"] != "ok":
        search.rebuild_index([])  # so new listings are indexed as they are committed
    added, created = demo.load_demo()
    from app.demo.referrals import load_demo_referrals
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

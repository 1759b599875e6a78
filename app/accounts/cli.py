import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.accounts import services
from app.accounts.models import ROLES
from app.directory.models import Organisation
from app.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES), help="Repeat for several.")
@click.option("--org", "org_slugs", multiple=True, help="Organisation slug a provider looks after (repeatable).")
@click.option("--name", default="", help="Display name.")
@click.password_option(help="At least 10 characters. Asked for when not given.")
def create(email, roles, org_slugs, name, password):
    """Create a user with one or more roles."""
    organisations = []
    for slug in org_slugs:
        org = db.session.execute(select(Organisation).where(Organisation.slug == slug)).scalar_one_or_none()
        if org is None:
            raise click.ClickException(f"No organisation with the slug '{slug}'")
        organisations.append(org)
    try:
        services.create_user(email, password, roles, name=name, organisations=organisations)
    except services.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {services.normalise_email(email)} with role(s): {', '.join(sorted(roles))}")

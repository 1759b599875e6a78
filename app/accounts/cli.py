import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from app.accounts import services
from app.accounts.models import ROLES, User
from app.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


def _organisation(slug):
    # Organisations are the directory's, and accounts sits below it: reach the model through the mapper of
    # User.organisations (the accounts-owned provider_organisation link) instead of importing it.
    organisation = User.organisations.property.mapper.class_
    return db.session.execute(select(organisation).where(organisation.slug == slug)).scalar_one_or_none()


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
        organisations.append(_existing_organisation(slug))
    try:
        services.create_user(email, password, roles, name=name, organisations=organisations)
    except services.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {services.normalise_email(email)} with role(s): {', '.join(sorted(roles))}")


def _user(email):
    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with the email {services.normalise_email(email)}")
    return user


def _apply(change, user, *args):
    try:
        with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "en")):  # messages outside a request
            change(user, *args)
    except services.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()


def _existing_organisation(slug):
    org = _organisation(slug)
    if org is None:
        raise click.ClickException(f"No organisation with the slug '{slug}'")
    return org


@users_cli.command("deactivate")
@click.argument("email")
def deactivate(email):
    """Stop a user signing in, and end every session they have."""
    user = _user(email)
    _apply(services.set_active, user, False)
    click.echo(f"Deactivated {user.email}; their sessions have ended.")


@users_cli.command("activate")
@click.argument("email")
def activate(email):
    """Let a deactivated user sign in again (with their password)."""
    user = _user(email)
    _apply(services.set_active, user, True)
    click.echo(f"Activated {user.email}.")


@users_cli.command("add-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def add_role(email, role):
    """Give a user a role."""
    user = _user(email)
    _apply(services.add_role, user, role)
    click.echo(f"{user.email} now has the role {role}.")


@users_cli.command("remove-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def remove_role(email, role):
    """Take a role away from a user, and end every session they have."""
    user = _user(email)
    _apply(services.remove_role, user, role)
    click.echo(f"Removed the role {role} from {user.email}; their sessions have ended.")


@users_cli.command("add-org")
@click.argument("email")
@click.argument("slug")
def add_org(email, slug):
    """Let a user look after an organisation's listings."""
    user, org = _user(email), _existing_organisation(slug)
    _apply(services.add_organisation, user, org)
    click.echo(f"{user.email} now looks after {org.slug}.")


@users_cli.command("remove-org")
@click.argument("email")
@click.argument("slug")
def remove_org(email, slug):
    """Stop a user looking after an organisation's listings."""
    user, org = _user(email), _existing_organisation(slug)
    _apply(services.remove_organisation, user, org)
    click.echo(f"{user.email} no longer looks after {org.slug}.")

"""Registers each domain's command-line groups with `flask`."""


def init_app(app):
    from app.accounts.cli import users_cli
    from app.core.cli import outbox_cli
    from app.demo.cli import demo_cli
    from app.directory.cli import directory_cli, postcodes_cli, search_cli
    from app.directory.csv import csv_cli
    from app.i18n.cli import translate_cli
    from app.jobs import jobs_cli
    from app.selfreferral.cli import referrals_cli

    for group in (csv_cli, users_cli, demo_cli, directory_cli, search_cli, postcodes_cli, translate_cli, referrals_cli,
                  outbox_cli, jobs_cli):
        app.cli.add_command(group)

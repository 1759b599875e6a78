"""`flask translate ...`: thin wrappers around pybabel so translators need no extra knowledge.

Every command that overwrites a catalogue first copies it to messages.po.bak-<time stamp> and prints where."""
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.i18n import catalogues, languages

translate_cli = AppGroup("translate", help="Translation catalogues.")

ROOT = Path(__file__).resolve().parent.parent.parent


def _pybabel(*args):
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def _pot():
    return catalogues.translations_dir() / "messages.pot"


def _languages(lang):
    found = [c for c in catalogues.known_languages() if catalogues.po_path(c).exists()]
    if lang is None:
        return found
    if lang not in found:
        raise click.ClickException(f"There is no catalogue for {lang}: {catalogues.po_path(lang)} does not exist.")
    return [lang]


@translate_cli.command("extract")
def extract():
    """Collect every translatable string into translations/messages.pot."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-wrap", "--sort-by-file",
             "--project", "Hidden Gems", "-o", str(_pot()), "app")


@translate_cli.command("update")
def update():
    """Extract, then merge new strings into every language's catalogue (each one backed up first)."""
    extract.callback()
    for code in _languages(None):
        click.echo(f"Backed up {code}: {catalogues.backup(catalogues.po_path(code))}")
    _pybabel("update", "-i", str(_pot()), "-d", str(catalogues.translations_dir()), "--no-wrap",
             "--ignore-obsolete")


@translate_cli.command("compile")
def compile_catalogues():
    """Compile .po files to .mo (fuzzy entries are left out)."""
    if not any(catalogues.translations_dir().glob("*/LC_MESSAGES/messages.po")):
        click.echo("No catalogues to compile.")
        return
    _pybabel("compile", "-d", str(catalogues.translations_dir()), "--statistics")


@translate_cli.command("init")
@click.argument("lang")
def init(lang):
    """Start a catalogue for a new language, e.g. `flask translate init fr`. Refuses one that exists."""
    if not _pot().exists():
        extract.callback()
    try:
        locale = languages.add_language(lang)
    except catalogues.CatalogueError as exc:
        # One line and a non-zero exit, never a traceback; an existing catalogue is left as it was.
        raise click.ClickException(f"{lang}: {exc}.") from None
    code = str(locale)
    click.echo(f"Started {catalogues.po_path(code)} ({locale.english_name}).")
    if code not in current_app.config["LANGUAGES"]:
        click.echo(f"Add {code} to the LANGUAGES setting to offer it on the site.")


@translate_cli.command("export")
@click.argument("lang", required=False)
def export(lang):
    """Write translators' edits from the database into translations/<lang>/LC_MESSAGES/messages.po.

    Each changed catalogue is backed up first. Commit the .po files, then run `flask translate compile`."""
    total = 0
    for code in _languages(lang):
        changed, kept, refused = catalogues.export(code)
        total += changed
        for msgid in refused:
            click.echo(f"{code}: left out, it fails the translation checks (fix it at /translate/): {msgid[:80]!r}")
        if changed:
            click.echo(f"{code}: wrote {changed} edited text{'s' if changed != 1 else ''} into "
                       f"{catalogues.po_path(code)} (backup: {kept})")
        else:
            click.echo(f"{code}: nothing to export")
    if total:
        click.echo("Next: flask translate compile, then commit the .po files.")

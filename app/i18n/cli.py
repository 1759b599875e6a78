"""`flask translate ...`: thin wrappers around pybabel so translators need no extra knowledge."""
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

translate_cli = AppGroup("translate", help="Translation catalogues.")

ROOT = Path(__file__).resolve().parent.parent.parent
POT = ROOT / "translations" / "messages.pot"


def _pybabel(*args):
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


@translate_cli.command("extract")
def extract():
    """Collect every translatable string into translations/messages.pot."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-wrap", "--sort-by-file",
             "--project", "Hidden Gems", "-o", str(POT), "app")


@translate_cli.command("update")
def update():
    """Extract, then merge new strings into every language's catalogue."""
    extract.callback()
    _pybabel("update", "-i", str(POT), "-d", str(ROOT / "translations"), "--no-wrap", "--ignore-obsolete")


@translate_cli.command("compile")
def compile_catalogues():
    """Compile .po files to .mo (fuzzy entries are left out)."""
    if not any((ROOT / "translations").glob("*/LC_MESSAGES/messages.po")):
        click.echo("No catalogues to compile.")
        return
    _pybabel("compile", "-d", str(ROOT / "translations"), "--statistics")


@translate_cli.command("init")
@click.argument("lang")
def init(lang):
    """Start a catalogue for a new language, e.g. `flask translate init fr`."""
    if not POT.exists():
        extract.callback()
    _pybabel("init", "-i", str(POT), "-d", str(ROOT / "translations"), "-l", lang)
    if lang not in current_app.config["LANGUAGES"]:
        click.echo(f"Add {lang} to the LANGUAGES setting to offer it on the site.")

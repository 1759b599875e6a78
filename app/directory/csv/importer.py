"""The whole import: read the file, check every row, and unless it is a dry run or has a problem, apply it
all in one transaction."""
import logging
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from app.core import audit
from app.core.db import utcnow
from app.directory.csv.applier import apply_plans
from app.directory.csv.checker import Checker
from app.directory.csv.reader import CsvFileError, locale_for_messages, read_csv
from app.extensions import db

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    problems: list = field(default_factory=list)
    file_error: str | None = None
    new_services: int = 0
    updated_services: int = 0
    unchanged_services: int = 0
    new_organisations: int = 0
    applied: bool = False
    matched_by_name: list = field(default_factory=list)  # (row, name, slug) of rows found by name, not slug

    @property
    def ok(self):
        return not self.file_error and not self.problems

    def count(self, plans):
        outcomes = [plan.outcome for plan in plans]
        self.new_services = outcomes.count("new")
        self.updated_services = outcomes.count("updated")
        self.unchanged_services = outcomes.count("unchanged")
        self.new_organisations = len({plan.org_slug for plan in plans
                                      if plan.org is None and plan.outcome != "unchanged"})
        self.matched_by_name = [(plan.row, plan.name, plan.slug) for plan in plans if plan.matched_by_name]


def import_csv(data, *, dry_run, user=None, today=None):
    """Check (and unless dry_run, apply) a CSV file given as bytes. Never raises for a bad file."""
    with locale_for_messages():
        return _import(data, dry_run=dry_run, user=user, today=today or utcnow().date())


def _import(data, *, dry_run, user, today):
    report = ImportReport(dry_run=dry_run)
    try:
        header, rows = read_csv(data)
        checker = Checker(header, rows, today)
        report.rows = len(rows)
        checker.run()
    except CsvFileError as exc:
        report.file_error = str(exc)
        return report
    report.problems = checker.problems
    if not checker.problems:
        report.count(checker.plans)
    if dry_run or checker.problems:
        return report
    report.applied = _save(checker, user, report)
    if not report.applied:
        report.file_error = _("Nothing was imported: the directory could not be saved, perhaps because someone "
                              "changed it at the same time. Check the file again and retry.")
    return report


def _save(checker, user, report):
    """All or nothing. The import's one commit lives here, not in the view or command that calls it, so that
    the report can say whether the file was saved (a failed save is its message, not an error page)."""
    try:
        apply_plans(checker, user, checker.today)
        # Counts only: the file's rows are the directory's, and the import's changes are in each listing's history.
        audit.log("csv_import", user, detail=f"rows={report.rows} new={report.new_services} updated="
                  f"{report.updated_services} unchanged={report.unchanged_services} "
                  f"organisations={report.new_organisations}")
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("CSV import failed and was rolled back")
        return False
    except Exception:
        db.session.rollback()
        raise
    return True

"""Bulk import and export of the directory as a CSV file: one row per listing (service).

Export writes every listing with the columns in COLUMNS (UTF-8 with a byte order mark, so Excel
reads it correctly). Import reads the same layout: it checks every row and column first and
reports every problem by spreadsheet row and column name; a dry run then says what would happen
and changes nothing, and a real run refuses a file with any problem, otherwise applies every row
in one transaction and records an "import" revision for each listing it created or changed.
docs/csv.md describes the columns.

columns.py   the columns and the column guide      reader.py    decoding the upload, reading rows
checker.py   one check per column, a plan per row  plan.py      a plan, and how it compares with a listing
sessions.py  "Mon 10:00-12:00" weekly sessions      applier.py   applying the plans
importer.py  the whole import, in one transaction  export.py    the export
views.py     the csv_io blueprint (/manage/csv/)   cli.py       flask csv import|export
"""
from app.directory.csv.cli import csv_cli
from app.directory.csv.columns import COLUMNS
from app.directory.csv.export import iter_export
from app.directory.csv.importer import ImportReport, import_csv
from app.directory.csv.views import bp

__all__ = ["COLUMNS", "ImportReport", "bp", "csv_cli", "import_csv", "iter_export"]

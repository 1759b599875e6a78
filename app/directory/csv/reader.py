"""Reading an uploaded file: refuse what is not a usable UTF-8 CSV file, then hand back its rows."""
import csv
import io
import re
from contextlib import nullcontext
from datetime import date

from flask import current_app, has_request_context
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from app.core.templating import format_number
from app.core.validation import FORMULA_STARTS

MAX_ROWS = 20_000
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# The first bytes of a file that is something else (zip: .xlsx and .ods; OLE: old .xls; UTF-16 byte order marks).
WORKBOOK_STARTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
UTF16_STARTS = (b"\xff\xfe", b"\xfe\xff")


class CsvFileError(ValueError):
    """The upload cannot be read as a CSV file at all."""


def max_bytes():
    return current_app.config.get("MAX_CONTENT_LENGTH") or DEFAULT_MAX_BYTES


def max_megabytes():
    return max_bytes() // (1024 * 1024)


def too_large_message():
    return _("The file is larger than %(size)s MB. Split it into smaller files.", size=max_megabytes())


def locale_for_messages():
    """Messages in the page's language; outside a request (the CLI) in the default language."""
    if has_request_context():
        return nullcontext()
    return force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "en"))


def read_csv(data):
    """(header, [(row number, cells)]) from the uploaded bytes; raises CsvFileError when it is not a usable CSV."""
    header, rows = _read_rows(decode(data))
    if not header or not any(cell.strip() for cell in header):
        raise CsvFileError(_("The first row must hold the column names, such as organisation_slug and name."))
    if not rows:
        raise CsvFileError(_("The file has column names but no listings."))
    return header, rows


def decode(data):
    """The file's text; raises CsvFileError for a file too large, empty, a workbook, or not UTF-8."""
    if len(data) > max_bytes():
        raise CsvFileError(too_large_message())
    if not data.strip():
        raise CsvFileError(_("The file is empty."))
    if data.startswith(WORKBOOK_STARTS):
        raise CsvFileError(_("This looks like a spreadsheet workbook, not a CSV file. In your spreadsheet program, "
                             "use Save As and choose ‘CSV UTF-8 (Comma delimited)’."))
    if data.startswith(UTF16_STARTS):
        raise CsvFileError(_("The file is saved as UTF-16 text. Save it again as ‘CSV UTF-8 (Comma delimited)’."))
    if b"\x00" in data:
        raise CsvFileError(_("This is not a CSV file. Choose a CSV file saved as UTF-8 text."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvFileError(_("The file is not saved as UTF-8 text. In Excel, use Save As and choose ‘CSV UTF-8 "
                             "(Comma delimited)’; in LibreOffice, choose the character set ‘Unicode "
                             "(UTF-8)’.")) from None


def _read_rows(text):
    """(header or None, [(row number, cells)]), skipping blank rows."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, number = [], 0  # number: the last row read, as a spreadsheet numbers it
    try:
        header = next(reader, None)
        number = 1
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise CsvFileError(_("The file has more than %(max)s listings. Split it into smaller files.",
                                     max=format_number(MAX_ROWS)))
            rows.append((number, cells))
    except csv.Error:
        raise CsvFileError(_("The file could not be read as CSV at row %(row)s. Check that every quotation mark "
                             "is closed and that no cell is very large.", row=number + 1)) from None
    return header, rows


def clean_cell(value):
    """A cell as typed: without the export's guard quote, with plain newlines and no surrounding spaces."""
    if value is None:
        return ""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        value = value[1:]
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def column_letter(index):
    """0 -> 'A', 26 -> 'AA': a column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def split_codes(text):
    return [item.strip() for item in text.split(";") if item.strip()]


def parse_date(text):
    """'2024-05-01' or '01/05/2024' -> a date; None otherwise."""
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            year, month, day = (int(p) for p in text.split("-"))
        elif re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            day, month, year = (int(p) for p in text.split("/"))
        else:
            return None
        return date(year, month, day)
    except ValueError:
        return None


def unknown_codes_message(unknown, allowed):
    hint = _(" Separate codes with semicolons, not commas.") if any("," in v for v in unknown) else ""
    if allowed:
        return ngettext("Unknown code: %(codes)s. Use: %(allowed)s.", "Unknown codes: %(codes)s. Use: %(allowed)s.",
                        len(unknown), codes=", ".join(unknown), allowed=allowed) + hint
    return ngettext("Unknown category code: %(codes)s. Use the codes in the column guide.",
                    "Unknown category codes: %(codes)s. Use the codes in the column guide.",
                    len(unknown), codes=", ".join(unknown)) + hint

"""The managers' page: upload a file to check or import, download the export."""
from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import role_required
from app.core import errors
from app.directory.csv import reader
from app.directory.csv.columns import column_guide
from app.directory.csv.export import export_filename, iter_export
from app.directory.csv.importer import import_csv

bp = Blueprint("csv_io", __name__, url_prefix="/manage/csv", template_folder="templates")  # directory/csv_*.html
MAX_PROBLEMS_SHOWN = 1000


@bp.route("/", methods=["GET", "POST"])
@role_required("manager", "admin")
def upload():
    report, error, status = None, None, 200
    if request.method == "POST":
        upload_file = request.files.get("file")
        if upload_file is None or not upload_file.filename:
            error, status = _("Choose a CSV file to check or import."), 400
        else:
            data = upload_file.read(reader.max_bytes() + 1)
            report = import_csv(data, dry_run=request.form.get("action") != "import",
                                user=current_user._get_current_object())
            if report.file_error:
                error, status = report.file_error, 400
    return _page(report, error), status


@bp.errorhandler(413)
def too_large(error):
    """A file over the limit is refused before any view runs (even the CSRF check cannot read the form): say
    so on the CSV page itself, to the managers it is for, rather than on a bare error page."""
    if not (current_user.is_authenticated and current_user.has_role("manager", "admin")):
        return errors.error_page(413)
    return _page(None, reader.too_large_message()), 413


def _page(report, error):
    return render_template("directory/csv_import.html", report=report, error=error, columns=column_guide(),
                           max_rows=reader.MAX_ROWS, max_problems=MAX_PROBLEMS_SHOWN,
                           max_megabytes=reader.max_megabytes())


@bp.route("/export.csv")
@role_required("manager", "admin")
def export():
    response = Response(stream_with_context(iter_export()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    response.headers["Cache-Control"] = "no-store"  # it holds contact details
    return response

"""Error pages: one template, with a title and a message for each status."""
from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError

from app.extensions import db

PAGES = {
    400: (_l("Sorry, there is a problem with that request"), _l("Check the address or the form and try again.")),
    403: (_l("You do not have permission to see this page"),
          _l("If you think you should have access, ask the directory team to add the right role to your account.")),
    404: (_l("Page not found"),
          _l("If you typed the web address, check it is correct. If you pasted it, check you copied the whole "
             "address. The listing may also have been removed.")),
    405: (_l("Sorry, that action is not available here"), _l("Go back and try again using the page's own buttons.")),
    413: (_l("That file is too large"), _l("Files must be smaller than 5 MB. Choose a smaller file and try again.")),
    429: (_l("Too many attempts"),
          _l("You have tried this too many times in a short while. Wait a few minutes, then try again.")),
    500: (_l("Sorry, there is a problem with the service"),
          _l("Try again later. Nothing you entered has been shared.")),
}
# An expired or missing CSRF token is a 400, with its own explanation.
CSRF_PAGE = (_l("Your form could not be sent"),
             _l("The page you were on had expired or was opened in another window. Go back, reload the page and send "
                "it again. Your answers are kept where possible."))
# The database could not write (disk full, or storage made read-only): nothing was saved, so say so and ask again.
STORAGE_PAGE = (_l("Sorry, there is a problem with the service"), _l("We could not save this. Please try again."))
# PostgreSQL: disk_full, read_only_sql_transaction (a standby, or storage set read-only).
STORAGE_SQLSTATES = {"53100", "25006"}
# SQLite: SQLITE_READONLY, SQLITE_IOERR (what a full disk often gives), SQLITE_FULL.
STORAGE_SQLITE_CODES = {8, 10, 13}
STORAGE_SQLITE_MESSAGES = ("database or disk is full", "readonly database", "disk i/o error")


def is_storage_failure(error):
    """Whether a database error means it cannot write just now, rather than a fault in the site."""
    orig = getattr(error, "orig", None)
    if orig is None:
        return False
    if getattr(orig, "sqlstate", None) in STORAGE_SQLSTATES:
        return True
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in STORAGE_SQLITE_CODES
    return any(text in str(orig).lower() for text in STORAGE_SQLITE_MESSAGES) and "sqlite" in type(orig).__module__


def storage_failure(error):
    """503 for a write the database refused for lack of room; any other database error stays a 500."""
    if not is_storage_failure(error):
        raise error
    db.session.rollback()
    current_app.logger.error("The database could not save on %s %s (%s)", request.method, request.path,
                             type(error.orig).__name__)
    body, status = error_page(503, STORAGE_PAGE)
    return body, status, {"Retry-After": "60"}


def error_page(status, page=None):
    title, message = page or PAGES[status]
    return render_template("errors/error.html", title=title, message=message), status


def _handler_for(status):
    return lambda error: error_page(status)


def server_error(error):
    db.session.rollback()
    # The path only: query strings can carry personal data.
    current_app.logger.error("Unhandled error on %s %s", request.method, request.path)
    return error_page(500)


def init_app(app):
    for status in PAGES:
        if status != 500:
            app.register_error_handler(status, _handler_for(status))
    app.register_error_handler(CSRFError, lambda error: error_page(400, CSRF_PAGE))
    app.register_error_handler(500, server_error)
    app.register_error_handler(DBAPIError, storage_failure)

"""Role checks for views."""
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user


def role_required(*roles):
    """Signed-out visitors are sent to sign in; signed-in users without the role get 403."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        wrapped.required_roles = roles
        return wrapped
    return decorator

"""Role checks for views."""
from functools import wraps

from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user

# Never shown back: secrets (the password forms name theirs current, password and confirm) and the form machinery.
_NOT_SHOWN = ("csrf_token", "password", "token", "current", "confirm", "secret")
MAX_FIELDS, MAX_CHARS = 30, 20000


def typed_text():
    """What a signed-out person had typed in the form they sent, so the sign-in page can give it back."""
    kept = []
    for name, value in request.form.items(multi=True):
        value = (value or "").strip()
        if value and not any(word in name.lower() for word in _NOT_SHOWN) and len(kept) < MAX_FIELDS:
            kept.append(value[:MAX_CHARS])
    return kept


def sign_in_again():
    """Where a signed-out request goes: a page to sign in, which says why when a session has ended, and for a form
    that was sent, shows what was typed (it was not saved, and is never re-sent on its own)."""
    from app.accounts.forms import LoginForm
    target = url_for("accounts.login", next=request.full_path.rstrip("?"))
    ended = "_user_id" in session  # signed in until now: deactivated, signed out elsewhere or timed out
    if request.method != "POST":
        if ended:
            session.pop("_user_id", None)
            session["signed_out_notice"] = True
        return redirect(target)
    session.pop("_user_id", None)
    return render_template("accounts/login.html", form=LoginForm(formdata=None), failed=False, action=target,
                           session_ended=ended, typed=typed_text()), 401


def role_required(*roles):
    """Signed-out visitors are sent to sign in; signed-in users without the role get 403."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return sign_in_again()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        wrapped.required_roles = roles
        return wrapped
    return decorator

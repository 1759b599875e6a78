"""Partner access (/spa/partners for SPA staff, /admin/partners for admins): which partner staff read the referrals
shared with which organisation. Directory managers cannot reach it: editing listings is not reading referrals."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from app.accounts.permissions import role_required
from app.core.forms import SiteForm
from app.extensions import db
from app.selfreferral import partners
from app.selfreferral.spa import SpaError

partners_bp = Blueprint("partners", __name__, template_folder="../templates")


class GrantForm(SiteForm):
    user = SelectField(_l("Partner staff member"), choices=[], validate_choice=False)
    organisation = SelectField(_l("Organisation whose shared referrals they may read"), choices=[],
                               validate_choice=False)


def _form():
    form = GrantForm()
    form.user.choices = [SelectChoice("", _("Choose a person"))] + [
        SelectChoice(str(u.id), f"{u.name} ({u.email})" if u.name else u.email) for u in partners.partner_staff()]
    form.organisation.choices = [SelectChoice("", _("Choose an organisation"))] + [
        SelectChoice(str(o.id), o.name) for o in partners.organisations()]
    return form


def _grant_page(area):
    form = _form()
    if request.method == "POST" and form.validate_on_submit():
        user = partners.staff_member(form.user.data)
        organisation = partners.organisation(form.organisation.data)
        try:
            partners.grant(user, organisation, current_user)
        except SpaError as exc:
            (form.user if user is None else form.organisation).errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("Partner access given for %(name)s.", name=organisation.name))
            return redirect(url_for(f"partners.{area}_page"))
    return render_template("selfreferral/spa/partners.html", form=form, grants=partners.grants(), area=area), \
        (400 if form.errors else 200)


def _remove(area):
    access = partners.get_grant(request.form.get("access"))
    if access is None:
        flash(_("That access had already been removed."))
    else:
        name = access.organisation.name
        partners.remove(access, current_user)
        db.session.commit()
        flash(_("Partner access removed for %(name)s.", name=name))
    return redirect(url_for(f"partners.{area}_page"))


@partners_bp.route("/spa/partners", methods=["GET", "POST"])
@role_required("spa")
def spa_page():
    return _grant_page("spa")


@partners_bp.route("/spa/partners/remove", methods=["POST"])
@role_required("spa")
def spa_remove():
    return _remove("spa")


@partners_bp.route("/admin/partners", methods=["GET", "POST"])
@role_required("admin")
def admin_page():
    return _grant_page("admin")


@partners_bp.route("/admin/partners/remove", methods=["POST"])
@role_required("admin")
def admin_remove():
    return _remove("admin")

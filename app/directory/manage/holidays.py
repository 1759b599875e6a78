"""School holidays (/manage/school-holidays): the dates term-time-only sessions do not run."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from app.accounts.permissions import role_required
from app.core.forms import SiteForm
from app.core.templating import format_date
from app.directory import school_holidays, search
from app.directory.manage.views import MANAGERS, manage_bp
from app.directory.models import SchoolHoliday
from app.directory.provider.timetable_forms import read_date
from app.extensions import db


def _part(label):
    return StringField(label, validators=[Optional(), Length(max=6)])


class SchoolHolidayForm(SiteForm):
    name = StringField(_l("Name"), description=_l("For example, Spring half term"), validators=[
        DataRequired(message=_l("Enter the name of the holiday")), Length(max=100)])
    from_day, from_month, from_year = _part(_l("Day")), _part(_l("Month")), _part(_l("Year"))
    to_day, to_month, to_year = _part(_l("Day")), _part(_l("Month")), _part(_l("Year"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        self.starts_on, problem = read_date(self.from_day, self.from_month, self.from_year)
        self.ends_on, end_problem = read_date(self.to_day, self.to_month, self.to_year)
        if problem or self.starts_on is None:
            self.from_day.errors = [problem or _l("Enter the first day of the holiday")]
            ok = False
        if end_problem or self.ends_on is None:
            self.to_day.errors = [end_problem or _l("Enter the last day of the holiday")]
            ok = False
        elif self.starts_on and self.ends_on < self.starts_on:
            self.to_day.errors = [_l("The last day must be the same as or after the first day")]
            ok = False
        return ok


def _reindex():
    # A term-time session's dated search slots follow the holidays.
    for service in school_holidays.term_time_services():
        search.add_to_index(service)


@manage_bp.route("/school-holidays", methods=["GET", "POST"])
@role_required(*MANAGERS)
def school_holiday_list():
    form = SchoolHolidayForm()
    if form.validate_on_submit():
        school_holidays.add(form.name.data, form.starts_on, form.ends_on, current_user)
        db.session.commit()
        _reindex()
        flash(_("Saved. Term-time-only sessions do not run from %(start)s to %(end)s.",
                start=format_date(form.starts_on), end=format_date(form.ends_on)))
        return redirect(url_for("manage.school_holiday_list"))
    return render_template("directory/manage_school_holidays.html", form=form,
                           holidays=school_holidays.all_holidays()), 400 if form.errors else 200


@manage_bp.route("/school-holidays/<int:holiday_id>/remove", methods=["POST"])
@role_required(*MANAGERS)
def school_holiday_remove(holiday_id):
    holiday = db.session.get(SchoolHoliday, holiday_id)
    if holiday is None:  # pressed twice, or from an old page: it is gone either way
        flash(_("That holiday was already removed."), "important")
        return redirect(url_for("manage.school_holiday_list"))
    school_holidays.remove(holiday, current_user)
    db.session.commit()
    _reindex()
    flash(_("Removed ‘%(name)s’.", name=holiday.name))
    return redirect(url_for("manage.school_holiday_list"))


@manage_bp.route("/school-holidays/shipped", methods=["POST"])
@role_required(*MANAGERS)
def school_holiday_seed():
    added = school_holidays.seed_defaults()
    db.session.commit()
    _reindex()
    flash(_("Added the shipped school holidays.") if added else _("School holidays are already set."))
    return redirect(url_for("manage.school_holiday_list"))

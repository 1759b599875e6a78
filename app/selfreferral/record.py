"""What SPA staff see first about a person: their name, age and language, and the words to text them."""
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.core import clock
from app.core.requests import whole_number


def age(answers, today=None):
    """Their age in years from the date of birth (or the age they gave), or None."""
    today = today or clock.local_today()
    try:
        born = date(int(answers.get("dob_year")), int(answers.get("dob_month")), int(answers.get("dob_day")))
    except (TypeError, ValueError):
        return whole_number(str(answers.get("age") or ""), 0, 130)
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def header(referral, answers=None):
    answers = referral.answers if answers is None else answers
    return {"name": answers.get("full_name") or "", "preferred_name": answers.get("preferred_name") or "",
            "age": age(answers), "language": referral.preferred_language,
            "interpreter": answers.get("interpreter") == "yes"}


def headers(referrals):
    """{referral id: header} for a page of the inbox (each referral decrypted once)."""
    return {r.id: header(r) for r in referrals}


def text_message(referral, language):
    """A plain, kind text to send by hand: the reference, that they are not forgotten, and nothing clinical."""
    answers = referral.answers
    name = answers.get("preferred_name") or (answers.get("full_name") or "").split(" ")[0]
    with force_locale(language):
        return " ".join((
            _("Hello %(name)s,", name=name),
            _("This is an update on your referral %(reference)s to the %(borough)s single point of access.",
              reference=referral.reference, borough=current_app.config["BOROUGH_NAME"]),
            _("You have not been forgotten. You are still on our list, and a member of the team will contact you in "
              "the way and at the times you chose."),
        ))

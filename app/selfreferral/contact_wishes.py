"""How and when a person said they may be contacted, in full, and whether a contact logged now keeps to it.

Cold calls frighten people: the record shows every wish they gave (days, times, ways, messages, what they wrote),
and logging a call or text that breaks one needs staff to say they know.
"""
from datetime import time

from flask_babel import gettext as _

from app.core import clock, validation
from app.selfreferral import questions

# The bands people choose from ("Best times"), in borough time.
TIME_BANDS = {"morning": (time(8, 0), time(12, 0)), "afternoon": (time(12, 0), time(17, 0)),
              "evening": (time(17, 0), time(21, 0))}
TIME_LABELS = {"morning": questions.ContactStep.best_times.kwargs["choices"][0].label,
               "afternoon": questions.ContactStep.best_times.kwargs["choices"][1].label,
               "evening": questions.ContactStep.best_times.kwargs["choices"][2].label}
DAY_LABELS = {choice.value: choice.label for choice in questions.WEEKDAYS}
METHOD_LABELS = dict(questions.CONTACT_METHODS)
# A call or a text reaches them at that moment, so days and times matter; a letter or an e-mail waits for them.
LIVE_METHODS = ("phone", "text")


def _labels(codes, labels):
    return [str(labels[code]) for code in codes or [] if code in labels]


def window(referral, answers=None):
    """Everything they said about contact, ready to show: lists of labels, times as typed, their own words."""
    answers = referral.answers if answers is None else answers
    return {
        "methods": _labels([m for m in METHOD_LABELS if m in (referral.contact_methods or [])], METHOD_LABELS),
        "days": _labels(sorted(answers.get("best_days") or []), DAY_LABELS),
        "times": _labels([t for t in TIME_BANDS if t in (answers.get("best_times") or [])], TIME_LABELS),
        "not_before": answers.get("not_before") or "",
        "not_after": answers.get("not_after") or "",
        "leave_message": answers.get("leave_message") or "",
        "phone": answers.get("phone") or "",
        "email": answers.get("email") or "",
        "trusted_contact": answers.get("trusted_contact") or "",
        "access_needs": answers.get("access_needs") or "",
        "no_calls": "phone" not in (referral.contact_methods or []),
    }


def _time(value):
    parsed = validation.parse_clock_time(value) if value else None
    return parsed if isinstance(parsed, time) else None


def warnings(referral, method, when=None):
    """What a contact by `method` at `when` (naive UTC; now if None) goes against, as sentences for staff."""
    answers = referral.answers
    found = []
    if method in METHOD_LABELS and method not in (referral.contact_methods or []):
        found.append(_("They said no phone calls.") if method == "phone" else
                     _("They did not agree to be contacted by %(method)s.", method=str(METHOD_LABELS[method]).lower()))
    if method not in LIVE_METHODS:
        return found
    local = clock.to_local(when) if when is not None else clock.local_now()
    days = answers.get("best_days") or []
    if days and str(local.weekday()) in DAY_LABELS and str(local.weekday()) not in days:
        found.append(_("They asked to be contacted on %(days)s only; it is %(day)s now.",
                       days=", ".join(_labels(sorted(days), DAY_LABELS)), day=DAY_LABELS[str(local.weekday())]))
    bands = [b for b in TIME_BANDS if b in (answers.get("best_times") or [])]
    now_time = local.time()
    if bands and not any(start <= now_time < end for start, end in (TIME_BANDS[b] for b in bands)):
        found.append(_("They asked to be contacted in the %(times)s only; it is %(time)s now.",
                       times=", ".join(_labels(bands, TIME_LABELS)).lower(), time=now_time.strftime("%H:%M")))
    not_before, not_after = _time(answers.get("not_before")), _time(answers.get("not_after"))
    if not_before and now_time < not_before:
        found.append(_("They asked not to be contacted before %(time)s; it is %(now)s now.",
                       time=not_before.strftime("%H:%M"), now=now_time.strftime("%H:%M")))
    if not_after and now_time > not_after:
        found.append(_("They asked not to be contacted after %(time)s; it is %(now)s now.",
                       time=not_after.strftime("%H:%M"), now=now_time.strftime("%H:%M")))
    return found

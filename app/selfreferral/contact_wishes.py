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


# What they typed, shown as it is.
TEXT_ANSWERS = ("not_before", "not_after", "leave_message", "phone", "email", "trusted_contact", "access_needs")


def window(referral, answers=None):
    """Everything they said about contact, ready to show: lists of labels, times as typed, their own words."""
    answers = referral.answers if answers is None else answers
    methods = referral.contact_methods or []
    return {
        **{name: answers.get(name) or "" for name in TEXT_ANSWERS},
        "methods": _labels([m for m in METHOD_LABELS if m in methods], METHOD_LABELS),
        "days": _labels(sorted(answers.get("best_days") or []), DAY_LABELS),
        "times": _labels([t for t in TIME_BANDS if t in (answers.get("best_times") or [])], TIME_LABELS),
        "no_calls": "phone" not in methods,
    }


def _time(value):
    parsed = validation.parse_clock_time(value) if value else None
    return parsed if isinstance(parsed, time) else None


def _hhmm(value):
    return value.strftime("%H:%M")


def _method_warnings(referral, method):
    if method in METHOD_LABELS and method not in (referral.contact_methods or []):
        return [_("They said no phone calls.") if method == "phone" else
                _("They did not agree to be contacted by %(method)s.", method=str(METHOD_LABELS[method]).lower())]
    return []


def _day_warnings(answers, local):
    days, today = answers.get("best_days") or [], str(local.weekday())
    if days and today not in days:
        return [_("They asked to be contacted on %(days)s only; it is %(day)s now.",
                  days=", ".join(_labels(sorted(days), DAY_LABELS)), day=DAY_LABELS[today])]
    return []


def _time_warnings(answers, now):
    found = []
    bands = [b for b in TIME_BANDS if b in (answers.get("best_times") or [])]
    if bands and not any(start <= now < end for start, end in (TIME_BANDS[b] for b in bands)):
        found.append(_("They asked to be contacted in the %(times)s only; it is %(time)s now.",
                       times=", ".join(_labels(bands, TIME_LABELS)).lower(), time=_hhmm(now)))
    not_before, not_after = _time(answers.get("not_before")), _time(answers.get("not_after"))
    if not_before and now < not_before:
        found.append(_("They asked not to be contacted before %(time)s; it is %(now)s now.",
                       time=_hhmm(not_before), now=_hhmm(now)))
    if not_after and now > not_after:
        found.append(_("They asked not to be contacted after %(time)s; it is %(now)s now.",
                       time=_hhmm(not_after), now=_hhmm(now)))
    return found


def warnings(referral, method, when=None):
    """What a contact by `method` at `when` (naive UTC; now if None) goes against, as sentences for staff.
    Days and times are the borough's: the person chose them in local time."""
    found = _method_warnings(referral, method)
    if method not in LIVE_METHODS:
        return found
    answers = referral.answers
    local = clock.to_local(when) if when is not None else clock.local_now()
    return found + _day_warnings(answers, local) + _time_warnings(answers, local.time())

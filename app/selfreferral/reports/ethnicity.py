"""Referrals at the 19 ONS 2021 ethnic groups, under their 5 high-level headings.

An answer saved before the detailed groups existed (or any code we do not know, like 'asian') still counts under
its high-level group, as "not recorded in detail". The borough comparison is shown for a detailed group only when
the configured population gives that group's share.
"""
from flask_babel import lazy_gettext as _l

from app.selfreferral.ethnicity import ETHNICITY_GROUPS

UNDETAILED = "{group}-not-detailed"
UNDETAILED_LABEL = _l("Detailed group not recorded")
DETAIL_LABELS = dict(ETHNICITY_GROUPS)


def detailed_label(code):
    """'Asian or Asian British: Bangladeshi' -> 'Bangladeshi': the heading above it already says the group."""
    label = str(DETAIL_LABELS[code])
    return label.split(": ", 1)[1] if ": " in label else label


def by_detailed_ethnicity(rows, groups, ethnic_group, population):
    """[{code, label, count, subgroups: [{code, label, count, percent, population_percent}]}] for each of `groups`
    (codes and labels of the high-level groups). Percentages are of the referrals that stated a group."""
    counts = {code: 0 for code, _label in ETHNICITY_GROUPS}
    for row in rows:
        group = ethnic_group(row.ethnicity)
        if group in (None, "prefer_not"):
            continue
        code = row.ethnicity if row.ethnicity in counts else UNDETAILED.format(group=group)
        counts[code] = counts.get(code, 0) + 1
    stated = sum(counts.values())
    result = []
    for group, label in groups:
        codes = [code for code, _label in ETHNICITY_GROUPS if code.split("-", 1)[0] == group]
        extra = UNDETAILED.format(group=group)
        subgroups = [_subgroup(code, detailed_label(code), counts[code], stated, population) for code in codes]
        if counts.get(extra):
            subgroups.append(_subgroup(extra, UNDETAILED_LABEL, counts[extra], stated, population))
        result.append({"code": group, "label": label, "count": sum(s["count"] for s in subgroups),
                       "subgroups": subgroups})
    return result


def _subgroup(code, label, count, stated, population):
    borough = population.get(code)
    return {"code": code, "label": label, "count": count,
            "percent": round(100 * count / stated, 1) if stated else None,
            "population_percent": float(borough) if borough is not None else None}

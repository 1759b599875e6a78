"""Small-number suppression for every published count (page, charts and CSV): the one rule.

Following ONS / NHS Digital practice: a count from 1 to 4 is shown as "fewer than 5" (primary suppression), and
anything worked out from it (a percentage, a median) is hidden too. When a row or column with a published total
has exactly one suppressed cell, the next smallest non-zero cell is suppressed as well (secondary suppression),
so the hidden figure cannot be found by subtraction. Zeros are shown: they identify no one.
"""
from flask_babel import lazy_gettext as _l

THRESHOLD = 5


class Suppressed:
    """A hidden count. It is not a number, so nothing can add it up by mistake."""

    label = _l("fewer than 5")

    def __str__(self):
        return str(self.label)

    def __repr__(self):
        return "SUPPRESSED"


SUPPRESSED = Suppressed()


def is_small(count):
    return isinstance(count, int) and 0 < count < THRESHOLD


def hidden_cells(counts):
    """Indexes to hide in one line of counts that has a published total: the small ones, and if only one is small,
    the next smallest non-zero one too."""
    hidden = {i for i, count in enumerate(counts) if is_small(count)}
    return hidden | _secondary(counts, hidden)


def _secondary(counts, hidden):
    if len(hidden) != 1:
        return set()
    others = [(count, i) for i, count in enumerate(counts) if i not in hidden and count]
    return {min(others)[1]} if others else set()


def hidden_grid(grid):
    """Cells (row, column) to hide in a table whose row and column totals are both published: the rule applied to
    every row and every column until nothing changes."""
    hidden = {(r, c) for r, row in enumerate(grid) for c, count in enumerate(row) if is_small(count)}
    changed = True
    while changed:
        before = len(hidden)
        for r, row in enumerate(grid):
            hidden |= {(r, c) for c in _secondary(row, {c for rr, c in hidden if rr == r})}
        for c in range(len(grid[0]) if grid else 0):
            column = [row[c] for row in grid]
            hidden |= {(r, c) for r in _secondary(column, {r for r, cc in hidden if cc == c})}
        changed = len(hidden) != before
    return hidden


def shown(count, hide=False):
    """The count to publish: itself, or SUPPRESSED."""
    return SUPPRESSED if hide or is_small(count) else count


def protect_items(items, key="count"):
    """A list of {"count": n, ...} rows that add up to a published total: suppressed in place, and returned."""
    hidden = hidden_cells([item[key] for item in items])
    for i, item in enumerate(items):
        item[key] = shown(item[key], i in hidden)
    return items


def protect_report(report):
    """Every count in a built report as it may be published (the report dict is changed and returned)."""
    weeks = report["weeks"]
    routes = list(weeks[0]["routes"]) if weeks else []
    grid = [[week["routes"][route] for route in routes] for week in weeks]
    hidden = hidden_grid(grid)
    week_totals = hidden_cells([week["total"] for week in weeks])
    for r, week in enumerate(weeks):
        for c, route in enumerate(routes):
            week["routes"][route] = shown(week["routes"][route], (r, c) in hidden)
        week["total"] = shown(week["total"], r in week_totals)
    for key in ("routes", "neighbourhoods", "needs", "outcomes"):
        protect_items(report[key])
    _protect_ethnicity(report["ethnicity"])
    for times in report["times"].values():
        if is_small(times["count"]):
            times.update(count=SUPPRESSED, median=SUPPRESSED, p90=SUPPRESSED)
    report["total"] = shown(report["total"])
    report["closed_total"] = shown(report["closed_total"])
    return report


def _protect_ethnicity(ethnicity):
    groups = ethnicity["groups"]
    counts = [g["count"] for g in groups] + [ethnicity["prefer_not"], ethnicity["not_answered"]]
    hidden = hidden_cells(counts)
    for i, group in enumerate(groups):
        if i in hidden:
            group.update(count=SUPPRESSED, percent=SUPPRESSED, difference=SUPPRESSED)
    ethnicity["prefer_not"] = shown(ethnicity["prefer_not"], len(groups) in hidden)
    ethnicity["not_answered"] = shown(ethnicity["not_answered"], len(groups) + 1 in hidden)
    ethnicity["stated"] = shown(ethnicity["stated"])
    top_hidden = {g["code"] for g in groups if g["count"] is SUPPRESSED}
    for group in ethnicity["detail"]:
        # A group hidden at the top level hides all of its detail, or the detail would add back up to it.
        whole = group["code"] in top_hidden
        subgroups = group["subgroups"]
        hidden = hidden_cells([s["count"] for s in subgroups])
        for i, subgroup in enumerate(subgroups):
            if i in hidden or (whole and subgroup["count"]):
                subgroup.update(count=SUPPRESSED, percent=SUPPRESSED)
        group["count"] = shown(group["count"], whole)

"""The one small-number rule: primary suppression of 1 to 4, secondary suppression where one hidden cell could be
worked back out from a total, and everything derived from a hidden count hidden too."""
from datetime import date, datetime

from app.selfreferral.reports import figures
from app.selfreferral.reports.suppression import SUPPRESSED, hidden_cells, hidden_grid, protect_report


def test_counts_from_one_to_four_are_hidden_zeros_and_five_are_not():
    assert hidden_cells([0, 1, 4, 5, 12]) == {1, 2}
    assert hidden_cells([0, 0, 0]) == set() and hidden_cells([]) == set()


def test_a_lone_hidden_cell_takes_the_next_smallest_non_zero_with_it():
    assert hidden_cells([10, 3, 7, 0, 9]) == {1, 2}
    assert hidden_cells([0, 3, 0]) == {1}  # the total is 3 and hidden itself: nothing to subtract from


def test_the_grid_rule_covers_rows_and_columns():
    # Row 0 hides 2, then 6 (next smallest). Column 1 now has one hidden cell (6), so 8 below it goes too.
    grid = [[2, 6, 9], [10, 8, 20]]
    assert hidden_grid(grid) == {(0, 0), (0, 1), (1, 0), (1, 1)}


def _row(created, **kw):
    return figures.ReportRow(created_on=created.date(), created_at=created, **kw)


def test_a_built_report_hides_small_counts_and_what_comes_from_them():
    date_range = figures.DateRange(date(2025, 1, 6), date(2025, 1, 12))
    rows = [_row(datetime(2025, 1, 7, 12), ethnicity="white-british") for _n in range(7)] + \
        [_row(datetime(2025, 1, 7, 12), ethnicity="asian-indian", route="worker")] + \
        [_row(datetime(2025, 1, 8, 12), ethnicity="asian")]  # an answer saved before the detailed groups
    report = protect_report(figures.build_report(date_range, rows, datetime(2025, 1, 12), [],
                                                 {"asian": 16.1, "white": 59.5}))
    assert report["total"] == 9
    groups = {g["code"]: g for g in report["ethnicity"]["groups"]}
    assert groups["asian"]["count"] is SUPPRESSED and groups["asian"]["percent"] is SUPPRESSED
    assert groups["asian"]["difference"] is SUPPRESSED and groups["asian"]["population_percent"] == 16.1
    # White (7) is the only other non-zero count: hidden too, or 9 - 7 would give Asian back.
    assert groups["white"]["count"] is SUPPRESSED and groups["black"]["count"] == 0
    detail = {g["code"]: {s["code"]: s["count"] for s in g["subgroups"]} for g in report["ethnicity"]["detail"]}
    assert detail["asian"]["asian-indian"] is SUPPRESSED and detail["asian"]["asian-not-detailed"] is SUPPRESSED
    assert detail["white"]["white-british"] is SUPPRESSED  # its group is hidden, so its detail is
    assert detail["asian"]["asian-chinese"] == 0 and len(detail["white"]) == 5
    routes = {item["code"]: item["count"] for item in report["routes"]}
    assert routes == {"self": SUPPRESSED, "on_behalf": 0, "worker": SUPPRESSED}  # 1, and so the 8 beside it
    assert report["times"]["waiting"]["count"] == 9


def test_detailed_groups_are_the_nineteen_census_groups():
    detail = figures.by_ethnicity([_row(datetime(2025, 1, 7), ethnicity="other-arab")], {})["detail"]
    assert [g["code"] for g in detail] == list(figures.ETHNIC_GROUPS)
    assert sum(len(g["subgroups"]) for g in detail) == 19
    other = {s["label"]: s["count"] for s in detail[-1]["subgroups"]}
    assert other == {"Arab": 1, "any other ethnic group": 0}

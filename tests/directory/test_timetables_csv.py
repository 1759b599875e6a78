"""CSV import and export of monthly, fortnightly and term-time sessions and holiday closures: lossless round
trips, the old cell format still read, files without the new column still accepted, and mistakes reported."""
import csv
import io
from datetime import date, time

from app.directory.csv import COLUMNS, import_csv
from app.directory.csv.export import export_row
from app.directory.models import Schedule, Service, ServiceClosure


def _csv(rows, columns):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in columns})
    return buffer.getvalue().encode("utf-8")


def _rules(service):
    return sorted((s.weekday, s.opens_at, s.closes_at, s.freq, s.interval, s.week_of_month, s.starts_on,
                   s.term_time_only) for s in service.schedules if s.kind == "weekly")


def _listing(db, build):
    service = build.service(name="Memory café", slug="memory-cafe", weekly=[(0, "10:00", "12:00")])
    service.schedules += [
        Schedule(kind="weekly", weekday=1, opens_at=time(10), closes_at=time(12), freq="MONTHLY", interval=1,
                 week_of_month=1),
        Schedule(kind="weekly", weekday=4, opens_at=time(14), closes_at=time(15, 30), freq="MONTHLY", interval=1,
                 week_of_month=-1),
        Schedule(kind="weekly", weekday=2, opens_at=time(14), closes_at=time(16), freq="WEEKLY", interval=2,
                 starts_on=date(2027, 1, 6)),
        Schedule(kind="weekly", weekday=3, opens_at=time(16, 30), closes_at=time(18), freq="WEEKLY", interval=1,
                 term_time_only=True),
    ]
    service.closures = [ServiceClosure(starts_on=date(2026, 12, 24), ends_on=date(2027, 1, 2)),
                        ServiceClosure(starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 5))]
    db.session.commit()
    return service


def test_the_export_says_each_rule_and_imports_back_with_nothing_to_change(app, db, build):
    service = _listing(db, build)
    row = dict(zip(COLUMNS, export_row(service), strict=True))
    assert row["weekly_sessions"] == ("Mon 10:00-12:00; 1st Tue 10:00-12:00; every other Wed 14:00-16:00 from "
                                      "2027-01-06; Thu 16:30-18:00 term time; last Fri 14:00-15:30")
    assert row["closures"] == "2026-12-24 to 2027-01-02; 2027-04-05"
    report = import_csv(_csv([row], COLUMNS), dry_run=True)
    assert report.problems == [] and report.unchanged_services == 1
    before = _rules(service)
    # cleared and imported again: the same rules come back
    row_without = dict(row, weekly_sessions="", closures="")
    assert import_csv(_csv([row_without], COLUMNS), dry_run=False).applied
    db.session.expire_all()
    assert _rules(db.session.get(Service, service.id)) == [] and db.session.get(Service, service.id).closures == []
    assert import_csv(_csv([row], COLUMNS), dry_run=False).applied
    db.session.expire_all()
    service = db.session.get(Service, service.id)
    assert _rules(service) == before
    assert [(c.starts_on, c.ends_on) for c in service.closures] == [
        (date(2026, 12, 24), date(2027, 1, 2)), (date(2027, 4, 5), date(2027, 4, 5))]


def test_an_older_file_without_the_closures_column_keeps_the_closures(app, db, build):
    service = _listing(db, build)
    columns = ("service_slug", "name", "weekly_sessions")
    report = import_csv(_csv([{"service_slug": "memory-cafe", "name": "Memory café",
                               "weekly_sessions": "Mon 10:00-12:00; Fri 22:00-02:00"}], columns), dry_run=False)
    assert report.applied and report.problems == []
    db.session.expire_all()
    service = db.session.get(Service, service.id)
    assert [(s.weekday, s.freq, s.interval) for s in sorted(service.weekly_sessions, key=lambda s: s.weekday)] == [
        (0, "WEEKLY", 1), (4, "WEEKLY", 1)]
    assert len(service.closures) == 2


def test_mistakes_in_the_new_cells_are_reported_by_column(app, db, build):
    _listing(db, build)
    columns = ("service_slug", "name", "weekly_sessions", "closures")
    report = import_csv(_csv([{"service_slug": "memory-cafe", "name": "Memory café",
                               "weekly_sessions": "every other Wed 14:00-16:00; 5th Tue 10:00-12:00; "
                                                  "Mon 10:00-12:00 from 2027-13-45",
                               "closures": "2027-01-02 to 2026-12-24; soon"}], columns), dry_run=True)
    problems = [(p.column, p.message.split("’")[0]) for p in report.problems]
    assert ("weekly_sessions", "‘every other Wed 14:00-16:00") in problems  # every other week, from when?
    assert ("weekly_sessions", "‘5th Tue 10:00-12:00") in problems
    assert ("weekly_sessions", "‘Mon 10:00-12:00 from 2027-13-45") in problems
    assert ("closures", "‘2027-01-02 to 2026-12-24") in problems and ("closures", "‘soon") in problems

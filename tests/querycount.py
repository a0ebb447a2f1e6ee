"""Query discipline: a page or API call runs the same number of queries whatever the number of rows
it shows (no N+1). `assert_constant_queries` runs the request with N rows and again with 3N rows and
compares the query counts; on a mismatch it prints the queries of both runs so the extra ones show."""

from collections.abc import Callable, Iterator

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(run: Callable[[], object]) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        result = run()
    status = getattr(result, "status_code", 200)
    assert status == 200, f"the request answered {status}"
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def assert_constant_queries(
    run: Callable[[], object], add_rows: Callable[[int], object], *, rows: int = 2, factor: int = 3, what: str = ""
) -> int:
    """`add_rows(n)` adds n more of the rows `run()` shows. Runs with `rows` rows (twice: the first
    run warms per-process caches such as the session and reference data) and with `factor * rows`
    rows, and asserts the counts are equal. Returns the count."""
    add_rows(rows)
    run()
    first, first_sql = count_queries(run)
    add_rows(rows * (factor - 1))
    second, second_sql = count_queries(run)
    if first != second:
        extra = "\n".join(f"  {sql[:300]}" for sql in second_sql if sql not in first_sql)
        raise AssertionError(
            f"{what or 'the request'} ran {first} queries with {rows} rows but {second} with {rows * factor}"
            f" (N+1). Queries not in the first run:\n{extra}"
        )
    return first


def add_report_runs_and_bookings(requester, people: Iterator[int], n: int) -> None:
    """`n` report runs (the North West's bookings report for the last 30 days, CSV) and `n` bookings,
    each on a property of its own: rows for the reporting pages and endpoints."""
    import datetime as dt

    from cas.core import clock
    from cas.people.synthetic.dataset import national_crn
    from cas.reference.models import ProbationRegion
    from cas.reporting.models import ReportRun
    from tests.estate_factories import make_estate
    from tests.placement_factories import make_booking

    region = ProbationRegion.objects.get(delius_code="N51")
    for _ in range(n):
        ReportRun.objects.create(
            requested_by=requester,
            report_key="bookings",
            file_format="csv",
            start_date=clock.today() - dt.timedelta(days=30),
            end_date=clock.today(),
            region=region,
        )
        _, (bedspace,) = make_estate("N51", bedspaces=1)
        make_booking(bedspace, national_crn(next(people)), start=1, nights=10)

"""Time each query of the dashboard's figures, computed cold (nothing kept), for both viewers.

Each query the computation sends is run again on its own, its rows fetched, and timed: on
SQLite a query's rows are computed while they are fetched, so the time of its execute alone
says little. Run against a kept benchmark ledger (it only reads), e.g.
  LIAISON_HOME=/tmp/liaison-web-bench LIAISON_DEBUG=false \\
  LIAISON_DB_PATH=/tmp/liaison-web-bench/web-1000000-20000.sqlite3 \\
  python benchmarks/dashboard_queries.py
or with DATABASE_URL=postgres://…/liaison_web_1000000_20000 instead of LIAISON_DB_PATH.
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    """Print the time of the whole computation and of each of its queries, per viewer."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--viewers", default="central,province")
    options = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "liaison.web.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liaison.domain.enums import ReviewStatus
    from liaison.web.access import visible_exchanges
    from liaison.web.views import dashboard

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    for name in options.viewers.split(","):
        user = User.objects.get(username=f"viewer-{name}")
        visible = visible_exchanges(user)
        counted = visible.exclude(review_status=ReviewStatus.REJECTED)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            dashboard._compute_figures(user, visible, counted, "")
        total = time.perf_counter() - started
        print(f"viewer {name}: {total * 1000:,.0f} ms in all, {len(queries)} queries")
        timed = []
        for query in queries:
            with connection.cursor() as cursor:
                again = time.perf_counter()
                cursor.execute(query["sql"])
                rows = len(cursor.fetchall())
                timed.append((time.perf_counter() - again, rows, " ".join(query["sql"].split())))
        for seconds, rows, sql in sorted(timed, reverse=True):
            print(f"  {seconds * 1000:8,.0f} ms {rows:7,} rows  {sql[:130]}")


if __name__ == "__main__":
    main()

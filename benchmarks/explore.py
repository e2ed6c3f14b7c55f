"""Latency of the explore views (network, map, timeline, GraphML, Parquet) on a kept ledger.

Usage: LIAISON_HOME=DIR LIAISON_DB_PATH=FILE python benchmarks/explore.py [--repeat 3] [URL ...]
       (or DATABASE_URL=postgres://... instead of LIAISON_DB_PATH)

Point it at a ledger that benchmarks/web.py generated and kept (for example
$TMPDIR/liaison-web-bench/web-100000-20000.sqlite3). Each URL is asked once with nothing kept
("first": the figures are computed) and then --repeat times ("kept": the same figures while the
ledger is unchanged); one process, one request at a time, as a reader of a root unit who sees
every exchange. Nothing is written: the requests are built without a session.
"""

from __future__ import annotations

import argparse
import os
import time

DEFAULT_URLS = [
    "/network/",
    "/network/?start=2020&region=Africa",
    "/map/",
    "/timeline/",
    "/timeline/?by=month",
    "/network/?format=graphml",
    "/exchanges/?type=call&format=parquet",
]


def main() -> None:
    """Time each URL once with nothing kept, then again with its figures kept."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("urls", nargs="*", default=DEFAULT_URLS)
    options = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "liaison.web.settings"
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import RequestFactory
    from django.urls import resolve

    from liaison.ledger.models import Exchange, Membership

    member = Membership.objects.filter(unit__parent__isnull=True).select_related("user").first()
    if member is None:
        raise SystemExit("no user in a root unit: generate the ledger with benchmarks/web.py")
    cache.clear()
    factory = RequestFactory()
    print(f"{Exchange.objects.count():,} exchanges; first request, then best of {options.repeat}")

    def ask(url: str) -> tuple[float, int, int]:
        request = factory.get(url)
        request.user = member.user
        start = time.perf_counter()
        match = resolve(request.path)
        response = match.func(request, *match.args, **match.kwargs)
        if getattr(response, "streaming", False):
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        return time.perf_counter() - start, response.status_code, size

    for url in options.urls:
        first, status, size = ask(url)
        kept = min(ask(url)[0] for _ in range(options.repeat))
        print(
            f"{url:42s} {status} {size / 1024:9,.0f} KiB  "
            f"first {first * 1000:7,.0f} ms  kept {kept * 1000:7,.0f} ms"
        )


if __name__ == "__main__":
    main()

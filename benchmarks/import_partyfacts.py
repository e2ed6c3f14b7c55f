"""Time the Party Facts import: rows per second and peak memory, for a first and a second run.

Usage: python benchmarks/import_partyfacts.py PATH/partyfacts-core-parties.csv
Runs on a fresh SQLite database in a temporary folder (or DATABASE_URL if set).
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    """Import the file twice into a fresh ledger and print the figures."""
    path = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path("../shared/reference/partyfacts-core-parties.csv")
    )
    os.environ.setdefault("LIAISON_HOME", tempfile.mkdtemp(prefix="liaison-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "liaison.web.settings"
    import django

    django.setup()
    from liaison.ledger.database import describe, migrate
    from liaison.ledger.importers.partyfacts import import_partyfacts
    from liaison.ledger.reference import load_reference

    migrate()
    load_reference()
    print(f"database: {describe()}")
    for run in ("first run", "second run"):
        started = time.perf_counter()
        report = import_partyfacts(path)
        seconds = time.perf_counter() - started
        print(
            f"{run}: {report.rows} rows in {seconds:.1f} s = {report.rows / seconds:,.0f} rows/s; "
            f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}, "
            f"skipped {report.skipped}"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of the process): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()

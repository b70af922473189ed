"""Benchmark the generator: `python -m common_kpi.generator.bench --scale 50`.

Generates into a temporary directory (deleted afterwards unless --keep), then prints rows,
seconds, rows/s, HubSpot+Salesforce leads, MA events and the peak RSS of this process.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common_kpi.generator.core import generate
from common_kpi.generator.world import GeneratorConfig


def run(scale: float, fmt: str | None = None, keep: Path | None = None, seed: int = 42
        ) -> dict[str, float]:
    """Generate at `scale` and return the figures (seconds, rows, rows/s, peak RSS MiB)."""
    fmt = fmt or ("csv" if scale <= 2 else "parquet")
    out = keep or Path(tempfile.mkdtemp(prefix="ck_bench_"))
    try:
        t0 = time.perf_counter()
        manifest = generate(GeneratorConfig(scale=scale, seed=seed, fmt=fmt, out=out))
        seconds = time.perf_counter() - t0
    finally:
        if keep is None:
            shutil.rmtree(out, ignore_errors=True)
    counts = manifest["row_counts"]
    rows = sum(counts.values())
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "scale": scale, "seconds": round(seconds, 1), "rows": rows,
        "rows_per_second": round(rows / seconds),
        "leads": counts["hubspot.contact"] + counts["salesforce.lead"],
        "ma_events": counts["hubspot.email_event"] + counts["hubspot.contact_form_submission"],
        "peak_rss_mib": round(peak_mib),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m common_kpi.generator.bench")
    parser.add_argument("--scale", type=float, default=50.0)
    parser.add_argument("--format", choices=["csv", "parquet"], default=None)
    parser.add_argument("--keep", type=Path, default=None, help="write here and keep the output")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    figures = run(args.scale, args.format, args.keep)
    for key, value in figures.items():
        print(f"{key:>16}: {value:,}" if isinstance(value, int) else f"{key:>16}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

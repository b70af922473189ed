"""`common-kpi generate --scale 1 --out data/raw/demo [--seed 42] [--format csv|parquet]
[--as-of 2026-11-25] [--org standard [--spelling api] [--history-mode]]`: write the raw
MA/SFA/CRM/finance data for one story, as this project's demo or as a standard Salesforce org and
HubSpot portal land it (generator/standard_org.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from common_kpi.generator.core import generate
from common_kpi.generator.world import GeneratorConfig


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="common-kpi generate", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="size factor; 1 ≈ 20,000 HubSpot contacts and 200 MQLs a month")
    parser.add_argument("--out", type=Path, default=Path("data/raw/demo"))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", choices=["csv", "parquet"], default=None,
                        help="default: csv up to scale 2, parquet above")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 11, 25))
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--org", choices=["demo", "standard"], default="demo",
                        help="standard: default picklists, no custom fields, no ground truth")
    parser.add_argument("--spelling", choices=["fivetran", "api"], default="fivetran",
                        help="with --org standard: Salesforce table and column spelling")
    parser.add_argument("--history-mode", action="store_true",
                        help="with --org standard: Salesforce leads and opportunities in history mode")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    fmt = args.format or ("csv" if args.scale <= 2 else "parquet")
    cfg = GeneratorConfig(scale=args.scale, seed=args.seed, fmt=fmt, as_of=args.as_of,
                          out=args.out, progress=not args.quiet)
    t0 = time.perf_counter()
    manifest = generate(cfg)
    if args.org == "standard":
        from common_kpi.generator.standard_org import rewrite_as_standard_org
        from common_kpi.generator.writer import write_manifest

        rewrite_as_standard_org(args.out, fmt, spelling=args.spelling, history_mode=args.history_mode)
        manifest["org"] = {"kind": "standard", "spelling": args.spelling, "history_mode": args.history_mode}
        write_manifest(args.out, manifest)
    rows = sum(manifest["row_counts"].values())
    print(f"generated {rows:,} rows ({fmt}) into {args.out} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

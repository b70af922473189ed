"""`common-kpi holidays`: write the Japanese public holiday seed from a maintained library.

seeds/japanese_holidays.csv (holiday_date, holiday_name_ja) is generated with `jpholiday`
(pinned in requirements.txt), which follows the Cabinet Office's list of national holidays,
振替休日 (substitute holidays) and 国民の休日; it is not typed by hand. The SLA's business-hours
clock reads it, so it must cover every year the data covers: the dbt test
`assert_japanese_holidays_cover_the_data` fails the build, naming the missing years, when the
data reaches a year the seed does not hold. Then run, for example:

    common-kpi holidays --first-year 2019 --last-year 2030

`--check` only compares the file with what the library gives (exit 1 when they differ).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from importlib.metadata import version
from pathlib import Path

import jpholiday

from common_kpi import PROJECT_DIR

SEED = PROJECT_DIR / "seeds" / "japanese_holidays.csv"
FIRST_YEAR = 2019
"""The demo data starts in April 2019 (P&L and contracts); leads and MQLs from 2024."""
LAST_YEAR = 2028
"""Two years past the demo's as-of date (November 2026), so next year's plans have holidays."""
SUBSTITUTE_SUFFIX = " 振替休日"


def holidays(first_year: int, last_year: int) -> list[tuple[dt.date, str]]:
    """Every national holiday from 1 January of first_year to 31 December of last_year.
    jpholiday names a substitute holiday after the holiday it replaces (`憲法記念日 振替休日`);
    the seed calls it 振替休日, as the calendar does."""
    rows = jpholiday.between(dt.date(first_year, 1, 1), dt.date(last_year, 12, 31))
    return [(day, "振替休日" if name.endswith(SUBSTITUTE_SUFFIX) else name) for day, name in sorted(rows)]


def seed_text(first_year: int, last_year: int) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["holiday_date", "holiday_name_ja"])
    writer.writerows((day.isoformat(), name) for day, name in holidays(first_year, last_year))
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi holidays", description=__doc__.splitlines()[0])
    parser.add_argument("--first-year", type=int, default=FIRST_YEAR)
    parser.add_argument("--last-year", type=int, default=LAST_YEAR)
    parser.add_argument("--out", type=Path, default=SEED)
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 when different")
    args = parser.parse_args(argv)
    if args.first_year > args.last_year:
        print("common-kpi holidays: --first-year is after --last-year", file=sys.stderr)
        return 2
    text = seed_text(args.first_year, args.last_year)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != text:
            print(
                f"common-kpi holidays: {args.out} differs from jpholiday {version('jpholiday')} "
                f"for {args.first_year}-{args.last_year}; run `common-kpi holidays` to regenerate it",
                file=sys.stderr,
            )
            return 1
        print(f"{args.out}: up to date ({args.first_year}-{args.last_year})")
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10)) - 1} holidays {args.first_year}-{args.last_year} to {args.out}")
    return 0

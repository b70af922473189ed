"""The holiday seed is generated from jpholiday, not typed by hand (fast: no warehouse)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from common_kpi import holiday_seed


def seed_rows() -> dict[str, str]:
    with holiday_seed.SEED.open(encoding="utf-8") as handle:
        return {row["holiday_date"]: row["holiday_name_ja"] for row in csv.DictReader(handle)}


def test_seed_is_what_the_library_gives() -> None:
    assert holiday_seed.main(["--check"]) == 0


def test_seed_covers_the_demo_years_with_substitute_and_citizens_holidays() -> None:
    rows = seed_rows()
    years = {dt.date.fromisoformat(day).year for day in rows}
    assert years == set(range(holiday_seed.FIRST_YEAR, holiday_seed.LAST_YEAR + 1))
    # 2026-05-03 (憲法記念日) is a Sunday → 2026-05-06 振替休日; 2026-09-22 lies between
    # 敬老の日 (21st) and 秋分の日 (23rd) → 国民の休日.
    assert rows["2026-05-06"] == "振替休日"
    assert rows["2026-09-22"] == "国民の休日"
    assert rows["2019-05-01"] == "天皇の即位の日"


def test_check_reports_a_hand_edited_seed(tmp_path: Path, capsys) -> None:
    edited = tmp_path / "japanese_holidays.csv"
    edited.write_text(holiday_seed.SEED.read_text(encoding="utf-8").replace("2026-09-22,国民の休日\n", ""))
    assert holiday_seed.main(["--check", "--out", str(edited)]) == 1
    assert "differs from jpholiday" in capsys.readouterr().err

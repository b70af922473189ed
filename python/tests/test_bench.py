"""`make bench` reports a failed build as failed and never writes its time into the docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from common_kpi import bench


def _figures(full_exit_codes: list[int], daily_exit_code: int) -> dict[str, object]:
    return {
        "scale": 50.0,
        "raw_format": "parquet",
        "machine": "2 cores",
        "memory_limit": "3GiB",
        "raw_rows": 1000,
        "ma_events": 800,
        "leads": 20,
        "floor_seconds": 2.0,
        "full_build_runs": len(full_exit_codes),
        "full_build_seconds_median": 400.0,
        "full_build_seconds_all": [400.0] * len(full_exit_codes),
        "full_build_exit_codes": full_exit_codes,
        "full_build_vs_floor": 200.0,
        "full_build_peak_rss_mib_median": 3500,
        "node_seconds_by_layer": {"staging": 1.0, "intermediate": 2.0, "marts": 3.0, "data_tests": 4.0},
        "staging_node_seconds_vs_floor": 0.5,
        "raw_rows_per_second": 2,
        "warehouse_mib": 10,
        "daily_incremental_seconds": 200.0,
        "daily_incremental_exit_code": daily_exit_code,
        "daily_vs_full_build_rate": 0.5,
    }


def test_table_marks_the_failed_runs_only() -> None:
    table = bench.markdown_table(_figures([0, 1, 0], 1))
    full_row = next(line for line in table.splitlines() if line.startswith("| full `dbt build`"))
    daily_row = next(line for line in table.splitlines() if line.startswith("| daily incremental run"))
    assert full_row.endswith("— FAILED (run 2 exit 1) |")
    assert daily_row.endswith("— FAILED (run 1 exit 1) |")
    assert "FAILED" not in bench.markdown_table(_figures([0, 0, 0], 0))


@pytest.mark.parametrize(("daily_exit_code", "expected_code"), [(0, 0), (1, 1)])
def test_docs_are_written_only_when_every_build_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, daily_exit_code: int, expected_code: int
) -> None:
    for document in ("docs/performance.md", "README.md"):
        (tmp_path / document).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / document).write_text("before\n", encoding="utf-8")
    monkeypatch.setattr(bench, "PROJECT_DIR", tmp_path)
    monkeypatch.setattr(bench, "bench", lambda *args: _figures([0], daily_exit_code))

    assert bench.main(["--scale", "50", "--keep", str(tmp_path / "work")]) == expected_code

    written = (tmp_path / "docs" / "bench" / "scale_50.json").exists()
    performance = (tmp_path / "docs" / "performance.md").read_text(encoding="utf-8")
    assert written == (expected_code == 0)
    assert ("<!-- bench:scale-50:start -->" in performance) == (expected_code == 0)

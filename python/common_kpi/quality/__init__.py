"""`common-kpi quality`: can the published warehouse be trusted?

Runs three checks on the published DuckDB file (read-only) and prints one line per failure:
1. the Great Expectations checkpoint over the raw files, the staged tables and the marts
   (volumes, value ranges, rates, keys, accepted values, row counts reconciled between
   layers), with GX's HTML data docs written to artifacts/gx/data_docs/;
2. the KPI reconciliation: every KPI over the full history recomputed from the staged tables on
   the kpi_tree.yml definitions,
   independently of the dbt models, and compared with the KPI marts;
3. the personal-data check: no PII-tagged column and no email / phone value in the marts.
Exit status 0 when everything passes, 1 when a check failed, 2 when it could not run.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from common_kpi import PROJECT_DIR
from common_kpi.quality.report import Failure, render_report

DEFAULT_DOCS_DIR = PROJECT_DIR / "artifacts" / "gx" / "data_docs"


@dataclass
class QualityResult:
    """Every section's (name, checks evaluated, failures) and where the data docs are."""

    sections: list[tuple[str, int, list[Failure]]] = field(default_factory=list)
    docs_index: Path | None = None

    @property
    def failures(self) -> list[Failure]:
        return [failure for _, _, failures in self.sections for failure in failures]

    @property
    def passed(self) -> bool:
        return not self.failures

    def report(self) -> str:
        text, _ = render_report(self.sections)
        return text


def default_target_path() -> Path:
    return Path(os.environ.get("DBT_TARGET_PATH", PROJECT_DIR / "target"))


def run_quality(
    *,
    warehouse: Path,
    raw_path: Path,
    target_path: Path,
    docs_dir: Path = DEFAULT_DOCS_DIR,
    config_path: Path | None = None,
    raw_format: str = "csv",
    sections: tuple[str, ...] = ("gx", "kpi", "pii"),
) -> QualityResult:
    """Run the chosen checks on `warehouse` and return their failures."""
    from common_kpi.quality.config import DEFAULT_CONFIG, load_config, volume_scale
    from common_kpi.quality.frames import open_warehouse

    config = load_config(config_path or DEFAULT_CONFIG)
    result = QualityResult()
    with open_warehouse(warehouse) as connection:
        if "gx" in sections:
            from common_kpi.quality.checkpoint import run_checkpoint

            outcome = run_checkpoint(
                config,
                connection,
                raw_path=raw_path,
                docs_dir=docs_dir,
                scale=volume_scale(raw_path),
                raw_format=raw_format,
            )
            result.sections.append(("Great Expectations checkpoint", outcome.evaluated, outcome.failures))
            result.docs_index = outcome.docs_index
        if "kpi" in sections:
            from common_kpi.quality.reconcile import reconcile_kpis

            evaluated, failures = reconcile_kpis(connection, config.kpi_reconciliation)
            result.sections.append(("KPI reconciliation", evaluated, failures))
        if "pii" in sections:
            from common_kpi.quality.pii import check_pii, load_manifest

            evaluated, failures = check_pii(connection, load_manifest(target_path), config.pii)
            result.sections.append(("Personal data in marts", evaluated, failures))
    return result


def main(argv: list[str]) -> int:
    from common_kpi.build import published_path
    from common_kpi.quality.config import QualityConfigError
    from common_kpi.raw_contract import raw_format, raw_path

    parser = argparse.ArgumentParser(prog="common-kpi quality", description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=None, help="DuckDB file (default: published)")
    parser.add_argument("--raw-path", type=Path, default=None, help="raw data folder the build read")
    parser.add_argument("--target-path", type=Path, default=None, help="dbt target folder (manifest)")
    parser.add_argument("--docs-dir", type=Path, default=DEFAULT_DOCS_DIR, help="where GX data docs go")
    parser.add_argument("--config", type=Path, default=None, help="quality configuration YAML")
    parser.add_argument("--only", choices=["gx", "kpi", "pii"], action="append", help="run only these checks")
    args = parser.parse_args(argv)
    try:
        result = run_quality(
            warehouse=args.warehouse or published_path(),
            raw_path=args.raw_path or raw_path(),
            target_path=args.target_path or default_target_path(),
            docs_dir=args.docs_dir,
            config_path=args.config,
            raw_format=raw_format(),
            sections=tuple(args.only or ("gx", "kpi", "pii")),
        )
    except (FileNotFoundError, QualityConfigError) as error:
        print(f"common-kpi quality: {error}", file=sys.stderr)
        return 2
    print(result.report())
    if result.docs_index is not None:
        print(f"Great Expectations data docs: {result.docs_index}")
    if not result.passed:
        print(f"common-kpi quality: {len(result.failures)} check(s) FAILED", file=sys.stderr)
        return 1
    print("common-kpi quality: every check passed")
    return 0

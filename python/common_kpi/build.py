"""`common-kpi build`: build the warehouse into a new file and publish it only if it passes.

BI tools and the dashboard read the *published* DuckDB file. A build never writes to it:
dbt builds into a separate build file, and only when no error-severity node failed is that
file checkpointed and moved over the published one with an atomic rename. A reader that has
the old file open keeps reading the old build; a failed build leaves the published file as it
was; and since readers open the published file read-only, they never hold a lock dbt needs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from common_kpi import PROJECT_DIR

DEFAULT_PUBLISHED = PROJECT_DIR / "warehouse" / "common_kpi.duckdb"
DEFAULT_BUILD = PROJECT_DIR / "warehouse" / "build" / "common_kpi.duckdb"


@dataclass(frozen=True)
class BuildResult:
    """What one dbt build did, read from its run_results.json."""

    returncode: int
    error_count: int
    warn_count: int
    pass_count: int
    failed_nodes: tuple[str, ...]
    warned_nodes: tuple[str, ...]

    @property
    def is_publishable(self) -> bool:
        return self.returncode == 0 and self.error_count == 0


def published_path() -> Path:
    return Path(os.environ.get("COMMON_KPI_PUBLISHED_PATH", DEFAULT_PUBLISHED))


def build_path() -> Path:
    return Path(os.environ.get("COMMON_KPI_DUCKDB_PATH", DEFAULT_BUILD))


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt(
    args: list[str],
    *,
    duckdb_path: Path,
    target_path: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run one dbt command on the project against `duckdb_path`, streaming its output."""
    env = dict(os.environ)
    env.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
    env["COMMON_KPI_DUCKDB_PATH"] = str(duckdb_path)
    if target_path is not None:
        env["DBT_TARGET_PATH"] = str(target_path)
    env.update(extra_env or {})
    return subprocess.run(
        [dbt_executable(), *args],
        cwd=PROJECT_DIR,
        env=env,
        text=True,
        check=False,
    )


def read_run_results(target_path: Path, returncode: int) -> BuildResult:
    results_file = target_path / "run_results.json"
    if not results_file.exists():
        return BuildResult(returncode, 1, 0, 0, ("dbt wrote no run_results.json",), ())
    results = json.loads(results_file.read_text(encoding="utf-8"))["results"]
    failed = tuple(r["unique_id"] for r in results if r["status"] in {"error", "fail"})
    warned = tuple(r["unique_id"] for r in results if r["status"] == "warn")
    passed = sum(1 for r in results if r["status"] in {"success", "pass"})
    return BuildResult(returncode, len(failed), len(warned), passed, failed, warned)


def publish(build_file: Path, target_file: Path) -> None:
    """Checkpoint the build file and move it over the published one atomically."""
    import duckdb

    with duckdb.connect(str(build_file)) as connection:
        connection.execute("checkpoint")
    wal = build_file.with_name(build_file.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} still exists after checkpoint; refusing to publish")
    target_file.parent.mkdir(parents=True, exist_ok=True)
    os.replace(build_file, target_file)


def with_ground_truth_var(dbt_args: list[str], raw_root: Path) -> list[str]:
    """Turn identity_quality_enabled on when the raw folder has the generator's ground truth
    (merged into the user's own --vars, which dbt accepts only once)."""
    import yaml

    if not (raw_root / "ground_truth" / "person_identity.csv").exists():
        return dbt_args
    args = list(dbt_args)
    if "--vars" in args:
        index = args.index("--vars")
        user_vars = yaml.safe_load(args[index + 1]) or {}
        user_vars.setdefault("identity_quality_enabled", True)
        args[index + 1] = json.dumps(user_vars)
        return args
    return [*args, "--vars", json.dumps({"identity_quality_enabled": True})]


def build(
    *,
    build_file: Path,
    target_file: Path,
    target_path: Path | None = None,
    dbt_args: list[str] | None = None,
) -> BuildResult:
    """Compile the KPI tree, run `dbt build` into `build_file`, publish if it passed."""
    from common_kpi.kpi_config import compile_kpi_tree
    from common_kpi.raw_contract import check_raw_data, raw_path
    from common_kpi.source_mapping import compile_source_mapping

    compile_kpi_tree(PROJECT_DIR)
    compile_source_mapping(PROJECT_DIR)
    check_raw_data()
    target_path = target_path or Path(os.environ.get("DBT_TARGET_PATH", PROJECT_DIR / "target"))
    build_file.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (build_file, build_file.with_name(build_file.name + ".wal")):
        leftover.unlink(missing_ok=True)
    completed = run_dbt(
        ["build", *with_ground_truth_var(dbt_args or [], raw_path())],
        duckdb_path=build_file,
        target_path=target_path,
    )
    result = read_run_results(target_path, completed.returncode)
    if result.is_publishable:
        publish(build_file, target_file)
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="common-kpi build",
        description=__doc__.splitlines()[0],
        epilog="Any other argument is passed on to dbt build (for example --select, --vars).",
    )
    parser.add_argument("--no-tree", action="store_true", help="do not print the KPI tree")
    args, dbt_args = parser.parse_known_args(argv)
    from common_kpi.kpi_config import KpiConfigError
    from common_kpi.raw_contract import RawContractError
    from common_kpi.source_mapping import MappingError

    try:
        result = build(
            build_file=build_path(), target_file=published_path(), dbt_args=dbt_args
        )
    except (KpiConfigError, MappingError, RawContractError) as error:
        print(f"common-kpi build: {error}", file=sys.stderr)
        return 2
    if not result.is_publishable:
        print(
            f"\nBuild FAILED ({result.error_count} error(s)): "
            f"{published_path()} was left unchanged.",
            file=sys.stderr,
        )
        for node in result.failed_nodes:
            print(f"  - {node}", file=sys.stderr)
        from common_kpi import volume_gate

        if volume_gate.gate_failed(result.failed_nodes) and build_path().exists():
            print("\n" + volume_gate.explain(build_path()), file=sys.stderr)
        return 1
    print(
        f"\nBuild passed ({result.pass_count} passed, {result.warn_count} warning(s)); "
        f"published {published_path()}"
    )
    if not args.no_tree:
        import duckdb

        from common_kpi.tree import render_tree

        with duckdb.connect(str(published_path()), read_only=True) as connection:
            print(render_tree(connection))
    return 0

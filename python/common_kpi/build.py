"""`common-kpi build`: build the warehouse into a new file and publish it only if it passes.

BI tools and the dashboard read *published* DuckDB files; a build never writes to them:
- one build at a time: a lock beside the published file; a second build stops with a
  message naming the running one (a scheduled run overlapping a manual one);
- every build writes its own new file under warehouse/build/ (COMMON_KPI_BUILD_DIR); files a
  killed build left there are removed by the next build, which says so; the tables of the
  incremental models are carried over into it from the published build (unless
  `--full-refresh`), so that a daily build rebuilds only their window;
- a partial build (`--select`, `--exclude`, ...) is never published: it is built into
  warehouse/partial/common_kpi.duckdb, a copy of the published file with the selected nodes
  rebuilt, for looking at;
- only a complete build with no error-severity failure that also passes the plausibility
  gate (publish_gate.py: row counts and KPI values against the published build) is
  published: the full warehouse by an atomic rename over warehouse/common_kpi.duckdb, and
  the marts-only BI file (bi_export.py) over warehouse/bi/common_kpi.duckdb.
A reader that has the old file open keeps reading the old build; a failed, refused or
cancelled build leaves the published files as they were.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common_kpi import PROJECT_DIR

DEFAULT_PUBLISHED = PROJECT_DIR / "warehouse" / "common_kpi.duckdb"
DEFAULT_BUILD = PROJECT_DIR / "warehouse" / "build" / "common_kpi.duckdb"
# dbt arguments that build only part of the project: such a build is never published.
PARTIAL_BUILD_ARGS = (
    "-s",
    "--select",
    "-m",
    "--models",
    "--exclude",
    "--selector",
    "--resource-type",
    "--resource-types",
    "--exclude-resource-type",
    "--exclude-resource-types",
    "--inline",
    "--defer",
    "--state",
    "--empty",
    "--sample",
)


@dataclass(frozen=True)
class BuildResult:
    """What one dbt build did, read from its run_results.json, and what was done with it."""

    returncode: int
    error_count: int
    warn_count: int
    pass_count: int
    failed_nodes: tuple[str, ...]
    warned_nodes: tuple[str, ...]
    published: bool = field(default=False, compare=False)
    message: str = field(default="", compare=False)
    build_file: Path | None = field(default=None, compare=False)

    @property
    def is_publishable(self) -> bool:
        return self.returncode == 0 and self.error_count == 0


class BuildLockedError(Exception):
    """Another build of the same published file is running."""


class BuildCancelled(Exception):
    """The build received SIGTERM (or SIGINT) and stopped before publishing."""


def published_path() -> Path:
    return Path(os.environ.get("COMMON_KPI_PUBLISHED_PATH", DEFAULT_PUBLISHED))


def build_path() -> Path:
    """The build file of one build: a new name in the build folder (COMMON_KPI_BUILD_DIR).

    The name starts with `common_kpi.`: DuckDB names a file's catalog after the part before the
    first dot, and dbt's relations ("common_kpi"."main_marts"...) and the semantic manifest use it.
    """
    folder = Path(os.environ.get("COMMON_KPI_BUILD_DIR", DEFAULT_BUILD.parent))
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    return folder / f"common_kpi.{stamp}.{os.getpid()}.duckdb"


def partial_path(published: Path) -> Path:
    return published.parent / "partial" / published.name


# Leaving these out still builds and tests every model: the warehouse is complete.
COMPLETE_EXCLUSIONS = {
    "--exclude": {"resource_type:unit_test"},
    "--exclude-resource-type": {"unit_test"},
    "--exclude-resource-types": {"unit_test"},
}


def _flag_values(dbt_args: list[str]) -> list[tuple[str, list[str]]]:
    """(flag, its values) for every --flag in the arguments (`--flag=v` or `--flag v w`)."""
    found: list[tuple[str, list[str]]] = []
    for arg in dbt_args:
        if arg.startswith("-"):
            flag, _, value = arg.partition("=")
            found.append((flag, [value] if value else []))
        elif found:
            found[-1][1].extend(arg.split())
    return found


def is_partial(dbt_args: list[str]) -> bool:
    """A selection builds only part of the project (excluding unit tests only does not)."""
    for flag, values in _flag_values(dbt_args):
        if flag not in PARTIAL_BUILD_ARGS:
            continue
        allowed = COMPLETE_EXCLUSIONS.get(flag)
        if allowed is None or not values or not set(values) <= allowed:
            return True
    return False


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def _die_with_parent() -> None:  # pragma: no cover - runs in the child process
    """Linux: dbt gets SIGKILL when the build runner dies, so no orphan keeps writing."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


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
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def read_run_results(target_path: Path, returncode: int) -> BuildResult:
    results_file = target_path / "run_results.json"
    if not results_file.exists():
        return BuildResult(returncode, 1, 0, 0, (dbt_stopped_reason(returncode),), ())
    results = json.loads(results_file.read_text(encoding="utf-8"))["results"]
    failed = tuple(r["unique_id"] for r in results if r["status"] in {"error", "fail"})
    warned = tuple(r["unique_id"] for r in results if r["status"] == "warn")
    passed = sum(1 for r in results if r["status"] in {"success", "pass"})
    return BuildResult(returncode, len(failed), len(warned), passed, failed, warned)


def dbt_stopped_reason(returncode: int) -> str:
    """What a dbt exit without run_results.json means, in words."""
    if returncode < 0:
        name = signal.Signals(-returncode).name if -returncode in signal.Signals._value2member_map_ else "?"
        hint = " (the kernel's out-of-memory killer sends SIGKILL)" if name == "SIGKILL" else ""
        return f"dbt was killed by signal {-returncode} ({name}){hint} before it finished"
    return f"dbt stopped (exit code {returncode}) before it wrote run_results.json"


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


# --- one build at a time ---------------------------------------------------------------------


def lock_path(target_file: Path) -> Path:
    return target_file.with_name(f".{target_file.name}.build.lock")


@contextlib.contextmanager
def build_lock(target_file: Path) -> Iterator[list[str]]:
    """Hold the build lock of `target_file`; yield notices (a previous build that died).

    The lock is an flock on a file beside the published one: the kernel releases it when
    the holder exits, even by kill -9, so it can never be left stale. The file records the
    holder (pid, start time) and whether it finished, so that a second build names the
    running one, and the build after a killed one says what happened.
    """
    path = lock_path(target_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = _holder(handle.read())
            raise BuildLockedError(
                f"another build of {target_file} is running ({holder}); this one did not start. "
                f"Wait for it to finish and run again (lock: {path})."
            ) from None
        handle.seek(0)
        previous = handle.read()
        notices = []
        if previous.strip() and '"finished": true' not in previous:
            notices.append(
                f"the previous build ({_holder(previous)}) did not finish: it was killed "
                f"(kill -9, out of memory, machine stopped) before it could clean up; "
                f"{target_file} was not touched by it"
            )
        handle.seek(0)
        handle.truncate()
        state = {"pid": os.getpid(), "started_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())}
        handle.write(json.dumps({**state, "finished": False}))
        handle.flush()
        try:
            yield notices
        finally:  # failed, refused or cancelled builds clean up too: only kill -9 skips this
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps({**state, "finished": True}))
            handle.flush()
    finally:
        handle.close()


def _holder(text: str) -> str:
    try:
        state = json.loads(text)
        return f"pid {state['pid']}, started {state['started_utc']} UTC"
    except (ValueError, KeyError, TypeError):
        return "holder unknown"


def remove_leftovers(folder: Path, keep: Path) -> list[str]:
    """Build files a killed build left behind (only called while holding the lock)."""
    removed = []
    if folder.is_dir():
        for leftover in sorted(folder.glob("*.duckdb*")):
            if leftover != keep and leftover.name != keep.name + ".wal":
                leftover.unlink(missing_ok=True)
                removed.append(leftover.name)
    return removed


@contextlib.contextmanager
def _cancel_on_sigterm() -> Iterator[None]:
    """SIGTERM (a CI timeout, `kill`) raises BuildCancelled so that the build cleans up."""
    if sys.platform == "win32" or not _is_main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise BuildCancelled(f"cancelled by signal {signum} ({signal.Signals(signum).name})")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


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


# --- the build ---------------------------------------------------------------------------------


def carry_over_incremental_models(published: Path, build_file: Path, manifest: Path) -> list[str]:
    """Copy the tables of the incremental models from the published build into a new build file.

    The models are those of the last build's manifest; none without a published file or a
    manifest (the first build), and a model missing from the published file starts empty.
    Only these tables are copied: everything else is built afresh, so a model removed from the
    project never lingers in the published files. Returns the relations copied.
    """
    import duckdb

    if not published.exists() or not manifest.exists():
        return []
    nodes = json.loads(manifest.read_text(encoding="utf-8")).get("nodes", {}).values()
    incremental = sorted(
        (node["schema"], node["alias"])
        for node in nodes
        if node.get("resource_type") == "model"
        and node.get("config", {}).get("materialized") == "incremental"
    )
    copied: list[str] = []
    with duckdb.connect(str(build_file)) as connection:
        connection.execute(f"attach '{published}' as published (read_only)")
        in_published = set(
            connection.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = 'published'"
            ).fetchall()
        )
        for schema, name in incremental:
            if (schema, name) not in in_published:
                continue
            connection.execute(f'create schema if not exists "{schema}"')
            connection.execute(
                f'create table "{schema}"."{name}" as select * from published."{schema}"."{name}"'
            )
            copied.append(f"{schema}.{name}")
        connection.execute("detach published")
    return copied


def build(
    *,
    build_file: Path,
    target_file: Path,
    target_path: Path | None = None,
    dbt_args: list[str] | None = None,
    accept_changes: bool = False,
    gate_settings: Any = None,
    bi_file: Path | None = None,
) -> BuildResult:
    """Compile the KPI tree, run `dbt build` into `build_file`, publish if it passed.

    Raises BuildLockedError when another build of `target_file` runs, BuildCancelled on SIGTERM.
    """
    from common_kpi.bi_export import default_bi_path
    from common_kpi.kpi_config import compile_kpi_tree
    from common_kpi.raw_contract import check_raw_data, raw_path
    from common_kpi.source_mapping import compile_source_mapping

    dbt_args = list(dbt_args or [])
    target_path = target_path or Path(os.environ.get("DBT_TARGET_PATH", PROJECT_DIR / "target"))
    bi_file = bi_file or default_bi_path(target_file)
    partial = is_partial(dbt_args)
    with build_lock(target_file) as notices, _cancel_on_sigterm():
        for notice in notices:
            print(f"common-kpi build: notice: {notice}", file=sys.stderr)
        compile_kpi_tree(PROJECT_DIR)
        compile_source_mapping(PROJECT_DIR)
        check_raw_data()
        if partial:
            build_file = partial_path(target_file)
            build_file.parent.mkdir(parents=True, exist_ok=True)
            for old in (build_file, build_file.with_name(build_file.name + ".wal")):
                old.unlink(missing_ok=True)
            if target_file.exists():
                # The selected nodes are rebuilt on top of a copy of the published build.
                shutil.copy2(target_file, build_file)
        else:
            build_file.parent.mkdir(parents=True, exist_ok=True)
            removed = remove_leftovers(build_file.parent, keep=build_file)
            if removed:
                print(
                    f"common-kpi build: notice: removed {len(removed)} file(s) an earlier build "
                    f"left in {build_file.parent}: {', '.join(removed)}",
                    file=sys.stderr,
                )
            if "--full-refresh" not in dbt_args:
                carried = carry_over_incremental_models(
                    target_file, build_file, target_path / "manifest.json"
                )
                if carried:
                    print(
                        f"common-kpi build: {len(carried)} incremental model(s) continue from the "
                        "published build (`--full-refresh` rebuilds them whole)",
                        file=sys.stderr,
                    )
        (target_path / "run_results.json").unlink(missing_ok=True)
        try:
            completed = run_dbt(
                ["build", *with_ground_truth_var(dbt_args, raw_path())],
                duckdb_path=build_file,
                target_path=target_path,
            )
            result = _with(read_run_results(target_path, completed.returncode), build_file=build_file)
            if completed.returncode < 0:
                reason = dbt_stopped_reason(completed.returncode)
                result = _with(
                    result,
                    error_count=max(result.error_count, 1),
                    failed_nodes=result.failed_nodes
                    if reason in result.failed_nodes
                    else (reason, *result.failed_nodes),
                )
            if partial:
                return _with(
                    result,
                    message=(
                        f"partial build ({' '.join(dbt_args)}) written to {build_file}; "
                        f"partial builds are never published, {target_file} was left unchanged"
                    ),
                )
            if not result.is_publishable:
                return _with(result, message=f"{target_file} was left unchanged")
            return _gate_and_publish(
                result, build_file, target_file, bi_file, accept_changes, gate_settings
            )
        except BaseException:
            if not partial:
                for leftover in (build_file, build_file.with_name(build_file.name + ".wal")):
                    leftover.unlink(missing_ok=True)
            raise


def _with(result: BuildResult, **changes: Any) -> BuildResult:
    from dataclasses import replace

    return replace(result, **changes)


def _gate_and_publish(
    result: BuildResult,
    build_file: Path,
    target_file: Path,
    bi_file: Path,
    accept_changes: bool,
    gate_settings: Any,
) -> BuildResult:
    import duckdb

    from common_kpi.bi_export import export_bi
    from common_kpi.publish_gate import GateSettings, compare_catalogs
    from common_kpi.warehouse_access import is_lock_error, locked_message

    if target_file.exists():
        settings = gate_settings or GateSettings.from_env()
        with duckdb.connect(str(build_file)) as connection:
            try:
                connection.execute(f"attach '{_sql_path(target_file)}' as published (read_only)")
            except duckdb.Error as error:
                if not is_lock_error(error):
                    raise
                return _with(
                    result,
                    message=(
                        f"not published: the new build cannot be compared with the published one: "
                        f"{locked_message(target_file, error)} The new build is kept at {build_file}."
                    ),
                )
            new_catalog = connection.execute("select current_database()").fetchone()[0]
            report = compare_catalogs(connection, new_catalog, "published", settings)
            connection.execute("detach published")
        print(report.summary())
        if not report.passed and not accept_changes:
            return _with(
                result,
                message=(
                    f"not published: the build differs from the published one beyond the set "
                    f"shares (above). {target_file} was left unchanged; the new build is kept at "
                    f"{build_file}. If the change is real, run again with --accept-changes "
                    f"(or COMMON_KPI_ACCEPT_CHANGES=1)."
                ),
            )
    else:
        print(f"nothing published yet at {target_file}: first build, no comparison")
    staged_bi = build_file.with_name(build_file.stem + ".bi.duckdb")
    bi_report = export_bi(build_file, staged_bi)
    print(bi_report.summary())
    publish(build_file, target_file)
    publish(staged_bi, bi_file)
    return _with(result, published=True, message=f"published {target_file} and {bi_file}")


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="common-kpi build",
        description=__doc__.splitlines()[0],
        epilog=(
            "Any other argument is passed on to dbt build (for example --vars). A selection "
            "(--select, --exclude, ...) builds into warehouse/partial/ and is never published."
        ),
    )
    parser.add_argument("--no-tree", action="store_true", help="do not print the KPI tree")
    parser.add_argument(
        "--accept-changes",
        action="store_true",
        default=os.environ.get("COMMON_KPI_ACCEPT_CHANGES", "") not in ("", "0", "false"),
        help="publish even when row counts or KPI values moved beyond the gate's shares",
    )
    args, dbt_args = parser.parse_known_args(argv)
    from common_kpi.kpi_config import KpiConfigError
    from common_kpi.raw_contract import RawContractError
    from common_kpi.source_mapping import MappingError

    try:
        result = build(
            build_file=build_path(),
            target_file=published_path(),
            dbt_args=dbt_args,
            accept_changes=args.accept_changes,
        )
    except (KpiConfigError, MappingError, RawContractError, BuildLockedError) as error:
        print(f"common-kpi build: {error}", file=sys.stderr)
        return 2 if not isinstance(error, BuildLockedError) else 3
    except (BuildCancelled, KeyboardInterrupt) as error:
        reason = str(error) or "cancelled (Ctrl-C)"
        print(
            f"\ncommon-kpi build: {reason}; its build file was removed and "
            f"{published_path()} was left unchanged.",
            file=sys.stderr,
        )
        return 130
    if not result.is_publishable:
        what = (
            f"Build FAILED ({result.error_count} error(s))"
            if result.returncode >= 0
            else "Build did NOT finish"
        )
        print(f"\n{what}: {result.message}.", file=sys.stderr)
        for node in result.failed_nodes:
            print(f"  - {node}", file=sys.stderr)
        from common_kpi import volume_gate

        if volume_gate.gate_failed(result.failed_nodes) and result.build_file and result.build_file.exists():
            print("\n" + volume_gate.explain(result.build_file), file=sys.stderr)
        return 1
    if not result.published:
        print(f"\nBuild passed ({result.pass_count} passed), but {result.message}", file=sys.stderr)
        return 0 if is_partial(dbt_args) else 1
    print(
        f"\nBuild passed ({result.pass_count} passed, {result.warn_count} warning(s)); "
        f"{result.message}"
    )
    if not args.no_tree:
        from common_kpi.tree import render_tree
        from common_kpi.warehouse_access import WarehouseLockedError, connect_read_only

        try:
            with connect_read_only(published_path()) as connection:
                print(render_tree(connection))
        except WarehouseLockedError as error:
            print(f"common-kpi build: cannot print the tree: {error}", file=sys.stderr)
    return 0

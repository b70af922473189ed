"""The broken raw data corpus (python/tests/broken_raw/): every defect ends in a clear error
naming the table and column, or in rows quarantined / removed and counted, or is read
correctly; never in a silently wrong result.

A small data set is generated once; `error` cases run the raw contract check on their own
damaged copy. All other cases damage disjoint rows of one shared copy, which is built once
with `dbt build -s +staging` and compared with the same build of the clean copy.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from common_kpi import PROJECT_DIR
from common_kpi.build import read_run_results, run_dbt
from common_kpi.raw_contract import RawContractError, check_raw_data, check_raw_files

CORPUS_DIR = Path(__file__).with_name("broken_raw")
SETTINGS = yaml.safe_load((CORPUS_DIR / "_corpus.yml").read_text(encoding="utf-8"))
FULLWIDTH_DIGITS = str.maketrans({str(digit): chr(0xFF10 + digit) for digit in range(10)})
OUTCOMES = {"error", "notice", "quarantined", "removed", "staged"}


@dataclass(frozen=True)
class Case:
    name: str
    defect: str
    table: str
    transform: dict[str, Any]
    expect: dict[str, Any]
    known_gap: str | None = None

    @property
    def outcome(self) -> str:
        return self.expect["outcome"]


def load_cases() -> list[Case]:
    cases = []
    for file in sorted(CORPUS_DIR.glob("[!_]*.yml")):
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
        case = Case(
            file.stem,
            document["defect"],
            document["table"],
            document["transform"],
            document["expect"],
            document.get("known_gap"),
        )
        assert case.outcome in OUTCOMES, f"{file.name}: unknown outcome {case.outcome!r}"
        cases.append(case)
    return cases


CASES = load_cases()


# ── Raw files as text ──────────────────────────────────────────────────────────────────────


def raw_csv(root: Path, table: str) -> Path:
    source, name = table.split(".", 1)
    return root / source / f"{name}.csv"


def read_rows(file: Path) -> tuple[list[str], list[list[str]]]:
    with file.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def write_rows(file: Path, header: list[str], rows: list[list[str]]) -> None:
    with file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def parse_raw_time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


# ── Transformations: (file, transform, row indexes chosen for the case) → damaged file ───


def drop_column(file: Path, spec: dict[str, Any], rows: list[int]) -> None:
    header, data = read_rows(file)
    position = header.index(spec["column"])
    kept = [row[:position] + row[position + 1 :] for row in data]
    write_rows(file, header[:position] + header[position + 1 :], kept)


def rename_column(file: Path, spec: dict[str, Any], rows: list[int]) -> None:
    header, data = read_rows(file)
    header[header.index(spec["column"])] = spec["new_name"]
    write_rows(file, header, data)


def add_column(file: Path, spec: dict[str, Any], rows: list[int]) -> None:
    header, data = read_rows(file)
    write_rows(file, [*header, spec["column"]], [[*row, spec["value"]] for row in data])


def header_only(file: Path, spec: dict[str, Any], rows: list[int]) -> None:
    header, _ = read_rows(file)
    write_rows(file, header, [])


def truncate(file: Path, spec: dict[str, Any], rows: list[int]) -> None:
    """Cut the file inside its last row: half-way through it, or just after opening a quote."""
    header, data = read_rows(file)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *data[:-1]])
    last = io.StringIO()
    csv.writer(last, lineterminator="\n").writerow(data[-1])
    last_line = last.getvalue().rstrip("\n")
    if spec["at"] == "mid_row":
        cut = last_line[: len(last_line) // 2]
        assert cut.count(",") < len(header) - 1, "the cut must drop columns"
    elif spec["at"] == "mid_quote":
        first_comma = last_line.index(",")
        cut = last_line[: first_comma + 1] + '"' + last_line[first_comma + 1 : first_comma + 4]
    else:
        raise ValueError(f"truncate: unknown position {spec['at']!r}")
    file.write_text(buffer.getvalue() + cut, encoding="utf-8")


def duplicate_rows(file: Path, spec: dict[str, Any], rows: list[int]) -> None:
    header, data = read_rows(file)
    write_rows(file, header, data + [list(data[index]) for index in rows])


def set_value(file: Path, spec: dict[str, Any], rows: list[int]) -> None:
    header, data = read_rows(file)
    column = header.index(spec["column"])
    for index in rows:
        if "value_from" in spec:
            origin = spec["value_from"]
            base = parse_raw_time(data[index][header.index(origin["column"])])
            value = (base + dt.timedelta(days=origin["shift_days"])).strftime(origin["format"])
        else:
            value = spec["value"]
        data[index][column] = value
        for other_column, other_value in spec.get("also_set", {}).items():
            data[index][header.index(other_column)] = other_value
    write_rows(file, header, data)


def fullwidth_digits(file: Path, spec: dict[str, Any], rows: list[int]) -> None:
    header, data = read_rows(file)
    for index in rows:
        for name in spec["columns"]:
            position = header.index(name)
            assert any(c.isdigit() for c in data[index][position]), f"{name} has no digits to widen"
            data[index][position] = data[index][position].translate(FULLWIDTH_DIGITS)
    write_rows(file, header, data)


TRANSFORMS: dict[str, Callable[[Path, dict[str, Any], list[int]], None]] = {
    "drop_column": drop_column,
    "rename_column": rename_column,
    "add_column": add_column,
    "header_only": header_only,
    "truncate": truncate,
    "duplicate_rows": duplicate_rows,
    "set_value": set_value,
    "fullwidth_digits": fullwidth_digits,
}


# ── Builds ─────────────────────────────────────────────────────────────────────────────────


AUDIT_COLUMNS = (
    "raw_row_count",
    "staged_row_count",
    "quarantined_row_count",
    "removed_soft_delete_count",
    "removed_duplicate_count",
)


@dataclass
class StagingBuild:
    """A staging build, with stg_quarantine and stg_load_audit read once (they are views over
    every raw file, so each query would read all of them again)."""

    raw: Path
    warehouse: Path
    failed_nodes: tuple[str, ...]
    notices: list[str]
    quarantine: list[tuple[str, str, str]]  # (source table, source row id, reason)
    audit: dict[str, dict[str, int]]  # raw table id → counts

    def query(self, sql: str, parameters: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            return connection.execute(sql, parameters or []).fetchall()

    def relation(self, name: str) -> str:
        rows = self.query("select table_schema from information_schema.tables where table_name = ?", [name])
        assert len(rows) == 1, f"{name} is in {len(rows)} schemas of {self.warehouse}"
        return f'"{rows[0][0]}"."{name}"'

    def quarantined(self, table: str, reason: str | None = None) -> list[tuple[str, str]]:
        """(source row id, reason) of the quarantined rows of `table` (with `reason`)."""
        return [
            (row_id, found)
            for source_table, row_id, found in self.quarantine
            if source_table == table and reason in (None, found)
        ]


def build_staging(raw: Path, work: Path) -> StagingBuild:
    """The raw contract check, then `dbt build -s +staging` (seeds and staging, and only the tests
    whose every parent is selected: a relationship test of a mart is left out) on `raw`.

    The damaged build puts every case's rows into one small data set (a few hundred
    opportunities), so together they pass the volume gate's share; the gate is about volume
    and has its own tests (test_standard_org_build, test_source_mapping), this corpus about
    what happens to each row, so the gate is opened here."""
    report = check_raw_files(raw)
    assert not report.errors, f"raw contract errors: {report.errors}"
    warehouse, target = work / "staging.duckdb", work / "target"
    completed = run_dbt(
        [
            "build",
            "-s",
            "+staging",
            "--indirect-selection",
            "cautious",
            "--quiet",
            "--vars",
            json.dumps({"quarantine_max_share": 1}),
        ],
        duckdb_path=warehouse,
        target_path=target,
        extra_env={
            "COMMON_KPI_RAW_PATH": str(raw),
            "COMMON_KPI_RAW_FORMAT": "csv",
            "DBT_LOG_PATH": str(work / "logs"),
        },
    )
    result = read_run_results(target, completed.returncode)
    build = StagingBuild(raw, warehouse, result.failed_nodes, report.notices, [], {})
    if build.failed_nodes:
        return build
    build.quarantine = [
        (table, row_id, reason)
        for table, row_id, reason in build.query(
            "select source_system || '.' || source_table, source_row_id, quarantine_reason "
            f"from {build.relation('stg_quarantine')}"
        )
    ]
    for table, *counts in build.query(
        f"select raw_table_id, {', '.join(AUDIT_COLUMNS)} from {build.relation('stg_load_audit')}"
    ):
        assert table not in build.audit, f"stg_load_audit has two rows for {table}"
        build.audit[table] = dict(zip(AUDIT_COLUMNS, (int(count) for count in counts), strict=True))
    return build


@pytest.fixture(scope="module")
def clean_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated data set, the starting point of every case."""
    from common_kpi.generator.cli import main as generate

    out = tmp_path_factory.mktemp("corpus") / "clean"
    arguments = ["--scale", str(SETTINGS["generator_scale"]), "--seed", str(SETTINGS["generator_seed"])]
    assert generate([*arguments, "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def clean_build(clean_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> StagingBuild:
    from common_kpi.kpi_config import compile_kpi_tree

    compile_kpi_tree(PROJECT_DIR)  # dbt parses the seeds and tests it writes
    build = build_staging(clean_raw, tmp_path_factory.mktemp("clean_build"))
    assert not build.failed_nodes, f"the clean staging build failed: {build.failed_nodes}"
    return build


def eligible_rows(raw: Path, table: str, clean: StagingBuild) -> list[tuple[int, str]]:
    """(row index, key) of rows that are live, uniquely keyed and staged in the clean build."""
    header, data = read_rows(raw_csv(raw, table))
    key = header.index(SETTINGS["raw_keys"][table])
    flag = SETTINGS["soft_delete_columns"][table.split(".")[0]]
    deleted = header.index(flag) if flag in header else None  # some exports have no delete flag
    keys = [row[key] for row in data]
    quarantined = {row_id for row_id, _ in clean.quarantined(table)}
    counts: dict[str, int] = {}
    for value in keys:
        counts[value] = counts.get(value, 0) + 1
    return [
        (index, keys[index])
        for index, row in enumerate(data)
        if keys[index]
        and counts[keys[index]] == 1
        and keys[index] not in quarantined
        and (deleted is None or row[deleted].strip().lower() not in {"true", "t", "1"})
    ]


@dataclass
class DamagedBuild:
    build: StagingBuild
    damaged_keys: dict[str, list[str]]


@pytest.fixture(scope="module")
def damaged_build(
    clean_raw: Path, clean_build: StagingBuild, tmp_path_factory: pytest.TempPathFactory
) -> DamagedBuild:
    """Every non-error case applied to one copy (disjoint rows), built once."""
    work = tmp_path_factory.mktemp("damaged_build")
    raw = work / "raw"
    shutil.copytree(clean_raw, raw)
    taken: dict[str, set[int]] = {}
    damaged: dict[str, list[str]] = {}
    for case in CASES:
        if case.outcome == "error":
            continue
        rows: list[int] = []
        wanted = int(case.transform.get("rows", 0))
        if wanted:
            candidates = [
                (index, key)
                for index, key in eligible_rows(clean_raw, case.table, clean_build)
                if index not in taken.setdefault(case.table, set())
            ][:wanted]
            assert len(candidates) == wanted, f"{case.name}: only {len(candidates)} clean rows to damage"
            rows = [index for index, _ in candidates]
            taken[case.table].update(rows)
            damaged[case.name] = [key for _, key in candidates]
        TRANSFORMS[case.transform["kind"]](raw_csv(raw, case.table), case.transform, rows)
    return DamagedBuild(build_staging(raw, work), damaged)


# ── The cases ──────────────────────────────────────────────────────────────────────────────


def test_every_case_is_well_formed() -> None:
    assert len(CASES) >= 15
    for case in CASES:
        assert case.transform["kind"] in TRANSFORMS, case.name
        if case.outcome in {"error", "notice"}:
            assert case.expect["message"], case.name
        if case.outcome in {"quarantined", "removed"}:
            assert int(case.expect["count"]) > 0, case.name
    quarantine_keys = [(case.table, case.expect["reason"]) for case in CASES if case.outcome == "quarantined"]
    assert len(quarantine_keys) == len(set(quarantine_keys)), "two cases share a table and reason"


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in CASES if c.outcome == "error"], ids=lambda c: c.name)
def test_error_case_stops_with_a_message_naming_table_and_column(
    case: Case, clean_raw: Path, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(clean_raw, raw)
    TRANSFORMS[case.transform["kind"]](raw_csv(raw, case.table), case.transform, [])

    with pytest.raises(RawContractError) as raised:
        check_raw_data(raw, "csv")

    lines = str(raised.value).splitlines()
    matching = [line for line in lines if all(fragment in line for fragment in case.expect["message"])]
    assert matching, f"{case.name}: no line of the error has {case.expect['message']}:\n{raised.value}"
    assert "Traceback" not in str(raised.value)


NON_ERROR_CASES = [
    pytest.param(c, marks=pytest.mark.xfail(reason=c.known_gap, strict=True)) if c.known_gap else c
    for c in CASES
    if c.outcome != "error"
]


@pytest.mark.slow
def test_damaged_staging_build_passes(damaged_build: DamagedBuild) -> None:
    """No defect of the corpus reaches a staged model: every staging test still passes."""
    assert not damaged_build.build.failed_nodes, damaged_build.build.failed_nodes


@pytest.mark.slow
@pytest.mark.parametrize("case", NON_ERROR_CASES, ids=[c.name for c in CASES if c.outcome != "error"])
def test_case_outcome(case: Case, clean_build: StagingBuild, damaged_build: DamagedBuild) -> None:
    build = damaged_build.build
    damaged_keys = damaged_build.damaged_keys.get(case.name, [])
    assert case.table in build.audit, f"stg_load_audit has no row for {case.table}"
    audit = build.audit[case.table]
    raw_rows = len(read_rows(raw_csv(build.raw, case.table))[1])
    # Every raw row is accounted for, whatever the defect.
    assert audit["raw_row_count"] == raw_rows, f"{case.name}: audit {audit} vs {raw_rows} rows in the file"
    accounted = sum(count for name, count in audit.items() if name != "raw_row_count")
    assert accounted == raw_rows, f"{case.name}: staged + quarantined + removed = {accounted} ≠ {raw_rows}"
    damaged_in_quarantine = [row for row in build.quarantined(case.table) if row[0] in damaged_keys]

    if case.outcome == "notice":
        assert any(
            all(fragment in notice for fragment in case.expect["message"]) for notice in build.notices
        ), f"{case.name}: no notice has {case.expect['message']}: {build.notices}"
        if "audit_raw_row_count" in case.expect:
            assert audit["raw_row_count"] == case.expect["audit_raw_row_count"]

    elif case.outcome == "quarantined":
        reason, count = case.expect["reason"], int(case.expect["count"])
        before = len(clean_build.quarantined(case.table, reason))
        after = [row_id for row_id, _ in build.quarantined(case.table, reason)]
        assert len(after) - before == count, (
            f"{case.name}: {len(after) - before} more rows quarantined as {reason!r}, expected {count}; "
            f"the damaged rows went to {damaged_in_quarantine or 'no quarantine (staged!)'}"
        )
        if case.transform.get("column") != SETTINGS["raw_keys"][case.table]:
            assert set(damaged_keys) <= set(after), (
                f"{case.name}: damaged rows {damaged_keys} not all quarantined as {reason!r}: "
                f"{damaged_in_quarantine}"
            )

    elif case.outcome == "removed":
        disposition_counts = {"removed_exact_duplicate": "removed_duplicate_count"}
        column = disposition_counts[case.expect["disposition"]]
        before = clean_build.audit[case.table][column]
        assert audit[column] - before == int(case.expect["count"]), f"{case.name}: {audit} vs {before}"
        assert not damaged_in_quarantine, f"{case.name}: originals quarantined: {damaged_in_quarantine}"

    elif case.outcome == "staged":
        assert not damaged_in_quarantine, f"{case.name}: rows quarantined: {damaged_in_quarantine}"
        model, key = case.expect["model"], case.expect["key"]
        columns = ", ".join([key, *case.expect["columns"]])
        sql = f"select {columns} from {{relation}} where list_contains(?, {key}) order by {key}"
        expected = clean_build.query(sql.format(relation=clean_build.relation(model)), [damaged_keys])
        actual = build.query(sql.format(relation=build.relation(model)), [damaged_keys])
        assert len(expected) == len(damaged_keys), f"{case.name}: rows not staged in the clean build"
        assert actual == expected, f"{case.name}: staged values differ from the clean build"

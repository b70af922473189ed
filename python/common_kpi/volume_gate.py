"""What the volume gate found, in one readable message.

The dbt test `assert_quarantined_share_within_limit` fails a build whose staging set aside
more than `quarantine_max_share` of a raw table's rows. dbt only says "Got N results"; this
module reads the build's stg_quarantine and says, per table over the limit: the share, the
reasons with counts, for an unknown picklist value the values themselves with counts, and the
line of source_mapping.yml to edit.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from common_kpi import PROJECT_DIR
from common_kpi.source_mapping import mapping_line

GATE_TEST = "assert_quarantined_share_within_limit"
TOP_VALUES = 5

# Quarantine reasons that name an unknown picklist value: the raw column that holds it and the
# picklist of source_mapping.yml `values:` that takes it (None: fixed in the export itself).
UNKNOWN_VALUE_REASONS: dict[str, tuple[str, str | None]] = {
    "unknown lead status": ("status", "salesforce_lead_status"),
    "unknown stage": ("stage_name", "salesforce_opportunity_stage"),
    "unknown opportunity type": ("type", "salesforce_opportunity_type"),
    "unknown lifecycle stage": ("property_lifecyclestage", "hubspot_lifecycle_stage"),
    "unknown contract type": ("contract_type", None),
    "unknown p&l line item": ("line_item", None),
}


def gate_failed(failed_nodes: tuple[str, ...]) -> bool:
    return any(node.rsplit(".", 1)[-1] == GATE_TEST for node in failed_nodes)


def _relation(connection: Any, model: str) -> str:
    row = connection.execute(
        "select table_catalog, table_schema from information_schema.tables where table_name = ?",
        [model],
    ).fetchone()
    if row is None:
        raise LookupError(model)
    return f'"{row[0]}"."{row[1]}"."{model}"'


def explain(
    build_file: Path, project_dir: Path = PROJECT_DIR, overrides: dict[str, Any] | None = None
) -> str:
    """The message for every raw table over the limit (empty when none is); `overrides` are
    the --vars the build ran with."""
    import duckdb

    with duckdb.connect(str(build_file), read_only=True) as connection:
        try:
            audit = _relation(connection, "stg_load_audit")
            quarantine = _relation(connection, "stg_quarantine")
        except LookupError:
            return ""
        max_share, min_rows = _gate_settings(project_dir, overrides or {})
        over = connection.execute(
            f"""select raw_table_id, source_system, source_table, quarantined_row_count,
                       staged_row_count + quarantined_row_count
                from {audit}
                where quarantined_row_count >= ?
                  and quarantined_row_count > ? * (staged_row_count + quarantined_row_count)
                order by raw_table_id""",
            [min_rows, max_share],
        ).fetchall()
        blocks = []
        for table_id, system, table, quarantined, total in over:
            rows = connection.execute(
                f"select quarantine_reason, raw_row_json from {quarantine} "
                "where source_system = ? and source_table = ?",
                [system, table],
            ).fetchall()
            blocks.append(_table_block(table_id, system, quarantined, total, rows, project_dir))
    if not blocks:
        return ""
    return (
        f"The volume gate stopped the publish: staging set aside more than {max_share:.0%} of "
        "the rows of these tables, so the KPIs would be computed from what happened to fit.\n"
        + "\n".join(blocks)
    )


def _gate_settings(project_dir: Path, overrides: dict[str, Any]) -> tuple[float, int]:
    import yaml

    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    variables = {**project.get("vars", {}), **overrides}
    return float(variables["quarantine_max_share"]), int(variables["quarantine_gate_min_rows"])


def _table_block(
    table_id: str,
    system: str,
    quarantined: int,
    total: int,
    rows: list[tuple[str, str]],
    project_dir: Path,
) -> str:
    lines = [f"  {table_id}: {quarantined:,} of {total:,} rows quarantined ({quarantined / total:.1%})"]
    for reason, count in Counter(reason for reason, _ in rows).most_common():
        lines.append(f"    - {reason}: {count:,} rows")
        if reason not in UNKNOWN_VALUE_REASONS:
            continue
        column, picklist = UNKNOWN_VALUE_REASONS[reason]
        values = Counter(
            (json.loads(raw_row_json) or {}).get(column) for found, raw_row_json in rows if found == reason
        )
        shown = ", ".join(f"{value!r} ({n:,})" for value, n in values.most_common(TOP_VALUES))
        lines.append(f"      column {column}: {shown}")
        if picklist:
            where = mapping_line(project_dir, "values", picklist)
            lines.append(
                f"      fix: map each value to one of our codes in {where}"
                f' (values: {picklist}: "<value>": <code>), then build again'
            )
        else:
            lines.append(f"      fix: correct the {system} export (the values are listed in docs/staging.md)")
    return "\n".join(lines)

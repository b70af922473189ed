"""`common-kpi <command>`: the entry point behind every Makefile target.

Each command lives in its own module and exposes `main(argv) -> int`; the module is imported
only when its command runs, so a broken optional dependency never blocks the others.
"""

from __future__ import annotations

import importlib
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "generate": ("common_kpi.generator.cli", "write raw MA/SFA/CRM/finance data at a scale"),
    "check-raw": ("common_kpi.raw_contract", "check raw files against the declared sources"),
    "kpi-compile": ("common_kpi.kpi_config", "validate kpi_tree.yml and compile it for dbt"),
    "mapping-compile": ("common_kpi.source_mapping", "validate source_mapping.yml and compile it for dbt"),
    "build": ("common_kpi.build", "dbt build into a new file, publish it if it passes"),
    "tree": ("common_kpi.tree", "print the KPI tree of the published BI file"),
    "alerts": ("common_kpi.alerts", "print missed KPIs and post them to a webhook"),
    "lint": ("common_kpi.lint", "sqlfluff over the models, ruff over the Python"),
    "quality": ("common_kpi.quality", "Great Expectations checkpoint and KPI reconciliation"),
    "docs": ("common_kpi.docs", "generate the dbt docs site"),
    "dashboard": ("common_kpi.dashboard.launch", "start the Streamlit dashboard"),
    "pack": ("common_kpi.pack", "write the monthly review pack (HTML)"),
    "bench": ("common_kpi.bench", "benchmark generator and build at a larger scale"),
    "postgres": ("common_kpi.engines.postgres", "start a local PostgreSQL server and load the raw files"),
    "engines": ("common_kpi.engines.compare", "build on DuckDB, PostgreSQL and Spark and compare the marts"),
    "holidays": ("common_kpi.holiday_seed", "write the Japanese holiday seed from jpholiday"),
}


def usage() -> str:
    lines = ["usage: common-kpi <command> [options]", "", "commands:"]
    lines += [f"  {name:<12} {help_text}" for name, (_, help_text) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        print(f"common-kpi: unknown command {command!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[command][0])
    return int(module.main(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())

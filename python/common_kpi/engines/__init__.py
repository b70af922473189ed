"""Other engines than the embedded DuckDB: a local PostgreSQL server and a local Spark session.

`common-kpi postgres start` runs a PostgreSQL server in `warehouse/postgres/` and loads the raw
files into it; the Spark target registers the raw files as tables itself (macro
`register_raw_tables`, run on dbt's on-run-start). `common-kpi engines` builds the project on
each engine and compares the KPI tree, the KPI marts and the funnel across engines.
"""

RAW_SYSTEMS: tuple[str, ...] = ("salesforce", "hubspot", "crm", "finance", "ground_truth")

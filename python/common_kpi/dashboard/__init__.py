"""The KPI dashboard (Streamlit) and the pieces the monthly review pack shares with it.

Modules:
- `i18n`: every label shown to a user, in Japanese (default) and English.
- `warehouse`: read-only access to the published DuckDB file, one short connection per query.
- `queries`: the SQL behind each page, against the marts only.
- `render`: HTML fragments (KPI tree, tables, sparklines) with stable `data-ck-*` markers.
- `app` and `views`: the Streamlit app and its pages; `launch`: `common-kpi dashboard`.
"""

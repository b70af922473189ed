"""Deterministic raw-data generator for common-kpi.

It simulates one story (a B2B company with two business units selling SaaS and consulting)
and projects it onto the raw tables of four systems, exactly as declared in
`models/staging/<system>/_<system>__sources.yml`:

- `people`     true companies and people (names, emails, 法人番号, domains, industries)
- `timeutil`   JST business calendar, UTC ISO-8601 formatting, Salesforce-style ids
- `marketing`  HubSpot contacts, companies, form submissions and email events (chunked)
- `sales`      Salesforce users, leads, IS tasks, accounts, contacts, opportunities, products
- `crm`        CRM customers, contract terms (renewal / churn / upsell / cross-sell), NPS
- `finance`    monthly P&L per business unit
- `messiness`  the defects real exports carry, each one counted for the manifest
- `writer`     CSV / Parquet writers (all columns text), ground truth and `_manifest.json`
- `cli`        `common-kpi generate ...`

Industry labels are Japanese (日本標準産業分類 style: 製造業, 情報通信業, 金融業・保険業, ...),
the same label in every system. Business units: `SaaS事業部` and `コンサルティング事業部`.
"""

from common_kpi.generator.core import GeneratorConfig, generate

__all__ = ["GeneratorConfig", "generate"]

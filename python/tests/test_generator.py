"""Tests of the raw-data generator: contract, determinism, calibration, ground truth, defects.

Expected figures are computed straight from the generated files (DuckDB over the CSVs), never
from the generator's own bookkeeping, so the manifest is checked against what is really there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
import yaml

from common_kpi import PROJECT_DIR
from common_kpi.generator import GeneratorConfig, generate
from common_kpi.generator.people import corporate_number_check_digit
from common_kpi.generator.writer import GROUND_TRUTH, TABLES

AS_OF = dt.date(2026, 11, 25)


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen_small")
    generate(GeneratorConfig(scale=0.2, seed=7, out=out, progress=False))
    return out


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen_demo")
    generate(GeneratorConfig(scale=1, seed=42, out=out, progress=False))
    return out


def _db(folder: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for system, tables in TABLES.items():
        for table in tables:
            con.execute(
                f'create view "{system}_{table}" as select * from read_csv('
                f"'{folder}/{system}/{table}.csv', all_varchar = true, header = true, "
                "allow_quoted_nulls = false)")
    for name in ("person_identity", "company_identity"):
        con.execute(f"create view {name} as select * from read_csv("
                    f"'{folder}/ground_truth/{name}.csv', all_varchar = true, header = true)")
    return con


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    return con.execute(sql).fetchone()[0]


def _sources_contract() -> dict[str, dict[str, list[str]]]:
    contract: dict[str, dict[str, list[str]]] = {}
    for path in sorted((PROJECT_DIR / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            contract[source["name"]] = {
                t["name"]: [c["name"] for c in t["columns"]] for t in source["tables"]}
    return contract


def test_tables_and_columns_match_the_sources_yaml(small: Path) -> None:
    contract = _sources_contract()
    ground_truth = contract.pop("ground_truth", GROUND_TRUTH)
    assert contract == TABLES
    assert ground_truth == GROUND_TRUTH
    for name, columns in GROUND_TRUTH.items():
        header = (small / "ground_truth" / f"{name}.csv").open(encoding="utf-8").readline()
        assert [c.strip('"') for c in header.strip().split(",")] == columns
    for system, tables in contract.items():
        for table, columns in tables.items():
            header = (small / system / f"{table}.csv").open(encoding="utf-8").readline()
            assert [c.strip('"') for c in header.strip().split(",")] == columns, (system, table)


def test_parquet_has_the_same_columns_all_text(tmp_path: Path) -> None:
    generate(GeneratorConfig(scale=0.05, seed=1, fmt="parquet", out=tmp_path, progress=False))
    for system, tables in TABLES.items():
        for table, columns in tables.items():
            schema = pq.read_schema(tmp_path / system / f"{table}.parquet")
            assert schema.names == columns
            assert {str(t) for t in schema.types} == {"string"}


def test_same_seed_same_bytes_other_seed_other_bytes(small: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(GeneratorConfig(scale=0.2, seed=7, out=again, progress=False))
    assert _digest(again) == _digest(small)
    other = tmp_path / "other"
    generate(GeneratorConfig(scale=0.2, seed=8, out=other, progress=False))
    assert _digest(other)["hubspot/contact.csv"] != _digest(small)["hubspot/contact.csv"]


def test_manifest_is_complete(small: Path) -> None:
    manifest = json.loads((small / "_manifest.json").read_text(encoding="utf-8"))
    assert manifest["scale"] == 0.2 and manifest["seed"] == 7 and manifest["format"] == "csv"
    assert manifest["as_of"] == "2026-11-25"
    assert manifest["generated_at"] == "2026-11-24T21:00:00Z"
    con = _db(small)
    for key, count in manifest["row_counts"].items():
        system, table = key.split(".")
        assert _one(con, f'select count(*) from "{system}_{table}"') == count, key


def test_corporate_number_check_digit() -> None:
    # 法人番号 of the National Tax Agency (国税庁): 7000012050002
    import numpy as np
    assert corporate_number_check_digit(np.array([12050002]))[0] == 7


TS = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"


def test_timestamps_are_utc_iso_and_reps_work_office_hours_jst(small: Path) -> None:
    con = _db(small)
    assert _one(con, f"""select count(*) from salesforce_lead
        where not regexp_matches(created_date, '{TS}')""") == 0
    assert _one(con, f"""select count(*) from hubspot_email_event
        where not regexp_matches(created, '{TS}')""") == 0
    # inside-sales calls and emails on leads: logged in JST office hours on weekdays, mostly
    share = _one(con, """
        with t as (select cast(created_date as timestamp) + interval 9 hour as jst
                   from salesforce_task where who_id like '00Q%' and status = 'Completed')
        select avg(case when hour(jst) between 9 and 19 and dayofweek(jst) between 1 and 5
                        then 1 else 0 end) from t""")
    assert share > 0.9


def test_cross_system_references_resolve(small: Path) -> None:
    con = _db(small)
    assert _one(con, """select count(*) from hubspot_contact c
        where property_salesforceleadid is not null
          and not exists (select 1 from salesforce_lead l where l.id = c.property_salesforceleadid)""") == 0
    assert _one(con, """select count(*) from salesforce_lead l where converted_opportunity_id is not null
          and not exists (select 1 from salesforce_opportunity o
                          where o.id = l.converted_opportunity_id)""") == 0
    assert _one(con, """select count(*) from crm_contracts c where sfdc_opportunity_id is not null
          and not exists (select 1 from salesforce_opportunity o
                          where o.id = c.sfdc_opportunity_id and o.is_won = 'true')""") == 0
    assert _one(con, """select count(*) from crm_customers c where sfdc_account_id is not null
          and not exists (select 1 from salesforce_account a where a.id = c.sfdc_account_id)""") == 0
    # same 法人番号 in both business units: the overlap of the customer bases
    assert _one(con, """select count(*) from (select true_company_id from company_identity
        where source_system = 'crm' group by 1 having count(distinct source_record_id) > 1)""") > 0


def test_ground_truth_covers_every_person_and_company_record(small: Path) -> None:
    con = _db(small)
    for view, table, system, gt in (
        ("hubspot_contact", "contact", "hubspot", "person_identity"),
        ("salesforce_lead", "lead", "salesforce", "person_identity"),
        ("salesforce_contact", "contact", "salesforce", "person_identity"),
        ("hubspot_company", "company", "hubspot", "company_identity"),
        ("salesforce_account", "account", "salesforce", "company_identity"),
    ):
        missing = _one(con, f"""select count(*) from {view} r where r.id is not null and not exists (
            select 1 from {gt} g where g.source_system = '{system}' and g.source_table = '{table}'
              and g.source_record_id = r.id)""")
        assert missing == 0, view
    assert _one(con, """select count(*) from crm_customers r where not exists (
        select 1 from company_identity g where g.source_system = 'crm'
          and g.source_table = 'customers' and g.source_record_id = r.customer_id)""") == 0
    # one normalised email ↔ one true person (the variants really are the same person)
    assert _one(con, """
        with e as (select lower(replace(regexp_replace(
                     translate(property_email,
                               '＠．ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ０１２３４５６７８９－',
                               '@.abcdefghijklmnopqrstuvwxyz0123456789-'),
                     '\\s+', '', 'g'), ' ', '')) as email, g.true_person_id
                   from hubspot_contact c join person_identity g on g.source_system = 'hubspot'
                    and g.source_table = 'contact' and g.source_record_id = c.id)
        select count(*) from (select email from e group by 1 having count(distinct true_person_id) > 1)
        """) == 0


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "_manifest.json").read_text(encoding="utf-8"))


DISTINCT_CONTRACTS = "(select distinct * from crm_contracts)"


def test_manifest_defect_counts_match_the_files(small: Path) -> None:
    con = _db(small)
    m = _manifest(small)
    defects, quarantine, readable = m["defects"], m["quarantine"], m["readable_variants"]
    # exact duplicate rows
    for view, key in (("hubspot_email_event", "hubspot.email_event"),
                      ("crm_customers", "crm.customers"), ("crm_contracts", "crm.contracts")):
        extra = _one(con, f"""select count(*) - (select count(*) from (select distinct * from {view}))
                              from {view}""")
        assert extra == defects["exact_duplicate_row"][key], key
    # soft deletes
    for view, col, key in (
        ("hubspot_contact", "_fivetran_deleted", "hubspot.contact"),
        ("hubspot_company", "_fivetran_deleted", "hubspot.company"),
        ("salesforce_lead", "is_deleted", "salesforce.lead"),
        ("salesforce_contact", "is_deleted", "salesforce.contact"),
        ("salesforce_account", "is_deleted", "salesforce.account"),
        ("salesforce_opportunity", "is_deleted", "salesforce.opportunity"),
        ("salesforce_opportunity_line_item", "is_deleted", "salesforce.opportunity_line_item"),
        ("salesforce_task", "is_deleted", "salesforce.task"),
        ("(select distinct * from crm_customers)", "is_deleted", "crm.customers"),
        ("(select distinct * from crm_contracts)", "is_deleted", "crm.contracts"),
    ):
        assert _one(con, f"select count(*) from {view} where {col} = 'true'") == \
            defects["soft_deleted"][key], key
    # duplicate people within one system
    for view, system, table, key in (("hubspot_contact", "hubspot", "contact", "hubspot.contact"),
                                     ("salesforce_lead", "salesforce", "lead", "salesforce.lead")):
        dup = _one(con, f"""select count(*) - count(distinct g.true_person_id) from {view} r
            join person_identity g on g.source_system = '{system}' and g.source_table = '{table}'
             and g.source_record_id = r.id""")
        assert dup == defects["duplicate_person"][key], key
    # quarantine
    assert _one(con, "select count(*) from crm_nps_responses where score = '11'") == \
        quarantine["nps_score_out_of_range"]["crm.nps_responses"]
    assert _one(con, """select count(*) from salesforce_opportunity
        where cast(replace(close_date, '/', '-') as date) < cast(created_date as timestamp)::date""") == \
        quarantine["close_date_before_created_date"]["salesforce.opportunity"]
    assert _one(con, """select count(*) from salesforce_opportunity where stage_name not in
        ('Prospecting', 'Qualification', 'Needs Analysis', 'Proposal', 'Negotiation',
         'Closed Won', 'Closed Lost')""") == \
        quarantine["unknown_stage_name"]["salesforce.opportunity"]
    assert _one(con, """select count(*) from (select distinct * from crm_contracts)
        where cast(end_date as date) < cast(replace(start_date, '/', '-') as date)""") == \
        quarantine["end_date_before_start_date"]["crm.contracts"]
    assert _one(con, "select count(*) from salesforce_opportunity where amount = 'TBD'") == \
        quarantine["unparseable_amount"]["salesforce.opportunity"]
    assert _one(con, f"select count(*) from {DISTINCT_CONTRACTS} where amount_jpy = 'TBD'") == \
        quarantine["unparseable_amount"]["crm.contracts"]
    assert _one(con, "select count(*) from salesforce_lead where id is null") == \
        quarantine["missing_id"]["salesforce.lead"]
    # readable variants
    assert _one(con, "select count(*) from salesforce_opportunity where close_date like '%/%'") == \
        readable["slash_date"]["salesforce.opportunity"]
    assert _one(con, f"select count(*) from {DISTINCT_CONTRACTS} where start_date like '%/%'") == \
        readable["slash_date"]["crm.contracts"]
    assert _one(con, "select count(*) from salesforce_opportunity where amount like '%,%'") == \
        readable["amount_with_commas"]["salesforce.opportunity"]
    assert _one(con, f"select count(*) from {DISTINCT_CONTRACTS} where amount_jpy like '%,%'") == \
        readable["amount_with_commas"]["crm.contracts"]
    assert _one(con, """select count(*) from (select distinct * from crm_contracts)
        where regexp_matches(amount_jpy, '[０-９]')""") == \
        readable["amount_fullwidth_digits"]["crm.contracts"]
    # 法人番号 and company-name spellings
    for view, col, key in (("hubspot_company", "property_corporate_number", "hubspot.company"),
                           ("salesforce_account", "corporate_number__c", "salesforce.account"),
                           ("(select distinct * from crm_customers)", "corporate_number", "crm.customers")):
        assert _one(con, f"select count(*) from {view} where {col} is null") == \
            defects["corporate_number_missing"][key], key
        assert _one(con, f"select count(*) from {view} where {col} like '%-%'") == \
            defects["corporate_number_hyphenated"][key], key
        assert _one(con, f"select count(*) from {view} where regexp_matches({col}, '[０-９]')") == \
            defects["corporate_number_fullwidth"][key], key
    for view, col, key in (("hubspot_company", "property_name", "hubspot.company"),
                           ("salesforce_account", "name", "salesforce.account"),
                           ("salesforce_lead", "company", "salesforce.lead")):
        for pattern, kind in (("㈱", "company_name_abbrev_enclosed"),
                              ("（株）", "company_name_abbrev_fullwidth_paren"),
                              ("(株)", "company_name_abbrev_paren"),
                              ("ｶﾌﾞｼｷｶﾞｲｼｬ", "company_name_halfwidth_kana")):
            found = _one(con, f"select count(*) from {view} where contains({col}, '{pattern}')")
            assert found == defects.get(kind, {}).get(key, 0), (key, kind)
        spaces = _one(con, f"""select count(*) from {view} where contains({col}, '　')
            or (starts_with({col}, ' ') and not contains({col}, 'ｶﾌﾞ'))""")
        assert spaces == defects["company_name_extra_spaces"][key], key
    # email re-typing in HubSpot contacts
    emails = [r[0] for r in con.execute("select property_email from hubspot_contact").fetchall()]
    fw = sum(1 for e in emails if re.search(r"[\uff01-\uff5e]", e))
    sp = sum(1 for e in emails if " " in e and not re.search(r"[\uff01-\uff5e]", e))
    up = sum(1 for e in emails if e != e.lower() and " " not in e and not re.search(r"[\uff01-\uff5e]", e))
    assert fw == defects["email_fullwidth_variant"]["hubspot.contact"]
    assert sp == defects["email_space_variant"]["hubspot.contact"]
    assert up == defects["email_case_variant"]["hubspot.contact"]


# ---- calibration on the scale-1 demo ------------------------------------------------------

MQL = """
    with m as (
        select c.id, l.converted_opportunity_id as opp_id,
               least(cast(c.property_hs_lifecyclestage_marketingqualifiedlead_date as timestamp),
                     cast(l.created_date as timestamp)) as mql_at
        from hubspot_contact c left join salesforce_lead l on l.id = c.property_salesforceleadid
        where c._fivetran_deleted = 'false'
          and (c.property_hs_lifecyclestage_marketingqualifiedlead_date is not null
               or c.property_salesforceleadid is not null))
"""


def test_calibration_mql_per_month(demo: Path) -> None:
    per_month = _one(_db(demo), MQL + """select count(*) / count(distinct date_trunc('month', mql_at))
        from m where mql_at >= '2024-04-01' and mql_at < '2026-11-01'""")
    assert 150 <= per_month <= 250


def test_calibration_mql_to_opportunity_within_90_days(demo: Path) -> None:
    rate = _one(_db(demo), MQL + """select avg(case when o.id is not null
            and cast(o.created_date as timestamp) <= m.mql_at + interval 90 day then 1 else 0 end)
        from m left join salesforce_opportunity o on o.id = m.opp_id and o.type = 'New Business'
        where m.mql_at < timestamp '2026-11-25' - interval 120 day""")
    assert 0.15 <= rate <= 0.25


def test_calibration_new_business_win_rate(demo: Path) -> None:
    rate = _one(_db(demo), """select avg(case when is_won = 'true' then 1 else 0 end)
        from salesforce_opportunity where type = 'New Business' and is_deleted = 'false'
         and stage_name in ('Closed Won', 'Closed Lost')""")
    assert 0.15 <= rate <= 0.25


CONTRACTS = """
    with c as (
        select distinct contract_id, customer_id, contract_type, previous_contract_id,
               cast(replace(start_date, '/', '-') as date) as s, cast(end_date as date) as e,
               cast(regexp_replace(translate(amount_jpy, '０１２３４５６７８９', '0123456789'), ',', '', 'g')
                    as double) as a
        from crm_contracts where is_deleted = 'false' and amount_jpy <> 'TBD')
"""


def test_calibration_renewal_rate(demo: Path) -> None:
    rate = _one(_db(demo), CONTRACTS + """
        , due as (select * from c where contract_type <> 'upsell' and e >= s
                    and e between '2024-04-01' and '2026-10-31')
        select avg(case when exists (select 1 from c r where r.previous_contract_id = due.contract_id
                                        and r.contract_type = 'renewal') then 1 else 0 end) from due""")
    assert 0.92 <= rate <= 0.98


def test_calibration_nps(demo: Path) -> None:
    nps = _one(_db(demo), """select 100 * (avg(case when cast(score as int) >= 9 then 1 else 0 end)
                                         - avg(case when cast(score as int) <= 6 then 1 else 0 end))
        from crm_nps_responses where cast(score as int) between 0 and 10""")
    assert 27 <= nps <= 43


def test_calibration_contract_revenue_and_margin(demo: Path) -> None:
    con = _db(demo)
    by_fy = dict(con.execute(CONTRACTS + """
        , t as (select *, greatest(1, round((e - s + 1) / 30.4375)) as months from c where e >= s)
        , mo as (select date_trunc('month', s) + to_months(cast(k as int)) as month_start, a / months as v
                 from t, range(0, cast(months as bigint)) as r(k))
        select case when month(month_start) >= 4 then year(month_start) else year(month_start) - 1 end,
               sum(v) from mo group by 1""").fetchall())
    assert 3e8 <= by_fy[2025] <= 3e9
    assert 0.8e9 <= by_fy[2026] <= 1.2e9
    assert by_fy[2024] < by_fy[2025] < by_fy[2026]
    margin = _one(con, """select 1 - sum(case when line_item <> 'revenue' then cast(amount_jpy as double) end)
                                   / sum(case when line_item = 'revenue' then cast(amount_jpy as double) end)
                          from finance_pl_monthly""")
    assert 0.10 <= margin <= 0.15
    fy2025_pl = _one(con, """select sum(cast(amount_jpy as double)) from finance_pl_monthly
        where line_item = 'revenue' and period_month between '2025-04-01' and '2026-03-01'""")
    assert abs(fy2025_pl / by_fy[2025] - 1) < 0.03

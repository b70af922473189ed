"""A small standard Salesforce org and HubSpot portal, written from the vendors' documentation.

Not from our generator: the tables, columns and picklist values are those of
- the Salesforce object reference (Lead, Contact, Account, Opportunity, OpportunityLineItem,
  Product2, Task, User; fields in API spelling `CreatedDate`, `IsDeleted`, `SystemModstamp`,
  which Fivetran lands in snake_case) with an org's default picklists: Lead Status
  "Open - Not Contacted" / "Working - Contacted" / "Closed - Converted" / "Closed - Not
  Converted", Opportunity stages "Prospecting" ... "Negotiation/Review" / "Closed Won" /
  "Closed Lost", Opportunity Type "New Customer" / "Existing Customer - Upgrade", Lead Source
  "Web" / "Phone Inquiry" / "Partner Referral", Task Type "Call" / "Email" / "Send Letter",
  Account Type "Customer - Direct" / "Prospect", Industry "Technology" / "Manufacturing";
  no custom fields (no 法人番号, no business unit);
- HubSpot's default contact and company properties (`lifecyclestage`,
  `hs_lifecyclestage_marketingqualifiedlead_date`, `hs_analytics_source`, `salesforceleadid`
  ...) as Fivetran lands them (`property_*`, a company table from a connector version with
  `is_deleted`) and the marketing email event types of HubSpot's email events API (SENT,
  PROCESSED, DELIVERED, OPEN, CLICK, SUPPRESSED) plus one no list has (BLOCKED);
- Fivetran history mode (`_fivetran_active`, `_fivetran_start`, `_fivetran_end`) on Lead and
  Opportunity: a lead and an opportunity that changed keep their earlier version, inactive.
The CRM and finance exports follow this project's documented export formats, from a company
without business units (no business_unit column: everything is one, 全社).

The story, with the KPI values of October 2026 computed by hand (the as-of date is the last
event, contact h6 becoming a lead on 2026-11-18, so October is the latest complete month):
- MQLs (HubSpot marketingqualifiedlead date, JST month): h1 10-05, h2 10-12, h3 10-20 are
  October; h5 09-15 is September; h4 and h6 never became MQLs.         → 月間MQL獲得数 = 3
- New-customer opportunities closed in October: o1 won (10-25), o2 won (10-10), o3 lost
  (10-15; its earlier inactive version was an open Prospecting deal). o4 (upgrade) is not new
  business; o5 is open.                                         → 成約率 = 2 / 3 = 0.666…
- NPS answers of FY2026 (from April) up to October: 10, 9, 7, 3 → promoters 2, detractors 1
  of 4.                                                         → NPS = (2 − 1) / 4 × 100 = 25
- P&L April–October: every month revenue ¥1,000,000, cost of sales ¥600,000, SG&A ¥250,000
                                                → 営業利益率 (FY to date) = 150,000 / 1,000,000 = 0.15
"""

from __future__ import annotations

import csv
from pathlib import Path

SYNCED = "2026-11-20T00:00:00Z"
EXPORTED = "2026-11-20T00:00:00Z"
HISTORY_END = "9999-12-31T23:59:59Z"

EXPECTED_OCTOBER = {
    "monthly_mql_count": 3.0,
    "win_rate": 2 / 3,
    "nps": 25.0,
    "kgi_operating_margin": 0.15,
}

USERS = [
    {
        "id": "0055g00000A1IS1AAA",
        "name": "佐藤 花子",
        "email": "h.sato@example-saas.co.jp",
        "department": "Inside Sales",
        "division": "",
        "is_active": "true",
        "created_date": "2024-04-01T00:00:00Z",
    },
    {
        "id": "0055g00000A1FS2AAA",
        "name": "鈴木 一郎",
        "email": "i.suzuki@example-saas.co.jp",
        "department": "Field Sales",
        "division": "",
        "is_active": "true",
        "created_date": "2024-04-01T00:00:00Z",
    },
]
IS_REP, SALES_REP = USERS[0]["id"], USERS[1]["id"]

ACCOUNTS = [
    {
        "id": "0015g00000A1AC1AAA",
        "name": "株式会社サクラテック",
        "website": "https://www.sakura-tech.co.jp",
        "industry": "Technology",
        "number_of_employees": "250",
        "type": "Customer - Direct",
    },
    {
        "id": "0015g00000A1AC2AAA",
        "name": "みらい商事株式会社",
        "website": "mirai-shoji.co.jp",
        "industry": "Manufacturing",
        "number_of_employees": "1200",
        "type": "Customer - Direct",
    },
    {
        "id": "0015g00000A1AC3AAA",
        "name": "合同会社ひかりデザイン",
        "website": "hikari-design.jp",
        "industry": "Technology",
        "number_of_employees": "40",
        "type": "Prospect",
    },
]
CONTACTS = [
    {
        "id": "0035g00000A1CO1AAA",
        "account_id": ACCOUNTS[0]["id"],
        "first_name": "太郎",
        "last_name": "山田",
        "email": "t.yamada@sakura-tech.co.jp",
        "lead_source": "Web",
    },
    {
        "id": "0035g00000A1CO2AAA",
        "account_id": ACCOUNTS[1]["id"],
        "first_name": "次郎",
        "last_name": "田中",
        "email": "j.tanaka@mirai-shoji.co.jp",
        "lead_source": "Phone Inquiry",
    },
    {
        "id": "0035g00000A1CO3AAA",
        "account_id": ACCOUNTS[2]["id"],
        "first_name": "三郎",
        "last_name": "伊藤",
        "email": "s.ito@hikari-design.jp",
        "lead_source": "Partner Referral",
    },
]

# (HubSpot contact id, email, MQL date UTC or None, the Salesforce lead the MA→SFA sync made)
MQLS = [
    ("101", "k.kato@example-a.co.jp", "2026-10-05T01:00:00Z", "00Q5g00000A1LE1AAA"),
    ("102", "t.yamada@sakura-tech.co.jp", "2026-10-12T02:00:00Z", "00Q5g00000A1LE2AAA"),
    ("103", "m.kimura@example-b.co.jp", "2026-10-20T03:00:00Z", "00Q5g00000A1LE3AAA"),
    ("104", "y.abe@example-c.co.jp", None, None),
    ("105", "r.mori@example-d.co.jp", "2026-09-15T04:00:00Z", "00Q5g00000A1LE5AAA"),
    ("106", "a.ono@example-e.co.jp", None, None),
]
# When each contact became a lead (h106 in November: the last event, so the as-of date is in
# November and October is the latest complete month).
LEAD_DATES = {"105": "2026-09-01T00:00:00Z", "106": "2026-11-18T00:00:00Z"}


def _hubspot_contacts() -> list[dict[str, str]]:
    rows = []
    for contact_id, email, mql_at, lead_id in MQLS:
        lead_date = LEAD_DATES.get(contact_id, "2026-10-01T00:00:00Z")
        rows.append(
            {
                "id": contact_id,
                "_fivetran_deleted": "false",
                "property_email": email,
                "property_firstname": "",
                "property_lastname": f"顧客{contact_id}",
                "property_company": "",
                "property_lifecyclestage": "marketingqualifiedlead" if mql_at else "lead",
                "property_hs_lifecyclestage_lead_date": lead_date,
                "property_hs_lifecyclestage_marketingqualifiedlead_date": mql_at or "",
                "property_hs_analytics_source": "ORGANIC_SEARCH",
                "property_salesforceleadid": lead_id or "",
                "property_createdate": lead_date,
                "_fivetran_synced": SYNCED,
            }
        )
    return rows


def _salesforce_leads() -> list[dict[str, str]]:
    statuses = {
        "101": ("Working - Contacted", {}),
        "102": (
            "Closed - Converted",
            {
                "is_converted": "true",
                "converted_date": "2026-10-20",
                "converted_account_id": ACCOUNTS[0]["id"],
                "converted_contact_id": CONTACTS[0]["id"],
                "converted_opportunity_id": "0065g00000A1OP1AAA",
            },
        ),
        "103": ("Open - Not Contacted", {}),
        "105": ("Closed - Not Converted", {}),
    }
    rows = []
    for contact_id, email, mql_at, lead_id in MQLS:
        if lead_id is None:
            continue
        status, extra = statuses[contact_id]
        # the sync creates the lead a few seconds after the MQL stage is set
        created = mql_at.replace(":00Z", ":05Z")
        row = {
            "id": lead_id,
            "is_deleted": "false",
            "last_name": f"顧客{contact_id}",
            "email": email,
            "company": "株式会社テスト",
            "lead_source": "Web",
            "status": status,
            "is_converted": "false",
            "owner_id": IS_REP,
            "created_date": created,
            "last_modified_date": created,
            "_fivetran_synced": SYNCED,
        }
        row.update(extra)
        rows.append(row)
    return rows


def _salesforce_tasks() -> list[dict[str, str]]:
    return [
        {
            "id": "00T5g00000A1TA1AAA",
            "is_deleted": "false",
            "who_id": "00Q5g00000A1LE1AAA",
            "owner_id": IS_REP,
            "subject": "初回架電",
            "type": "Call",
            "status": "Completed",
            "activity_date": "2026-10-05",
            "created_date": "2026-10-05T03:00:00Z",
            "_fivetran_synced": SYNCED,
        },
        {
            "id": "00T5g00000A1TA2AAA",
            "is_deleted": "false",
            "who_id": "00Q5g00000A1LE3AAA",
            "owner_id": IS_REP,
            "subject": "資料送付",
            "type": "Send Letter",
            "status": "Completed",
            "activity_date": "2026-10-21",
            "created_date": "2026-10-21T01:00:00Z",
            "_fivetran_synced": SYNCED,
        },
    ]


def _opportunity(
    number: int,
    account: int,
    opportunity_type: str,
    stage: str,
    closed: bool,
    won: bool,
    close_date: str,
    amount: str,
    created: str,
) -> dict[str, str]:
    return {
        "id": f"0065g00000A1OP{number}AAA",
        "is_deleted": "false",
        "account_id": ACCOUNTS[account]["id"],
        "contact_id": CONTACTS[account]["id"],
        "name": f"{ACCOUNTS[account]['name']} 商談{number}",
        "type": opportunity_type,
        "stage_name": stage,
        "amount": amount,
        "probability": "100" if won else ("0" if closed else "50"),
        "is_closed": "true" if closed else "false",
        "is_won": "true" if won else "false",
        "close_date": close_date,
        "lead_source": "Web",
        "owner_id": SALES_REP,
        "created_date": created,
        "_fivetran_synced": SYNCED,
    }


def _salesforce_opportunities() -> list[dict[str, str]]:
    return [
        _opportunity(
            1, 0, "New Customer", "Closed Won", True, True, "2026-10-25", "1200000", "2026-10-20T05:00:00Z"
        ),
        _opportunity(
            2, 1, "New Customer", "Closed Won", True, True, "2026-10-10", "3600000", "2026-08-01T05:00:00Z"
        ),
        _opportunity(
            3, 2, "New Customer", "Closed Lost", True, False, "2026-10-15", "800000", "2026-09-01T05:00:00Z"
        ),
        _opportunity(
            4,
            0,
            "Existing Customer - Upgrade",
            "Closed Won",
            True,
            True,
            "2026-10-28",
            "400000",
            "2026-10-21T05:00:00Z",
        ),
        _opportunity(
            5,
            2,
            "New Customer",
            "Negotiation/Review",
            False,
            False,
            "2026-12-20",
            "900000",
            "2026-10-30T05:00:00Z",
        ),
    ]


HISTORY_MODE_TABLES = {"lead", "opportunity"}


def _with_history(table: str, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Current rows active; the lead of h3 and opportunity 3 also with an earlier version."""
    out = []
    for row in rows:
        changed = row.get("last_modified_date") or row["created_date"]
        out.append(
            {**row, "_fivetran_active": "true", "_fivetran_start": changed, "_fivetran_end": HISTORY_END}
        )
        if row["id"] in {"00Q5g00000A1LE3AAA", "0065g00000A1OP3AAA"}:
            earlier = (
                {"status": "Working - Contacted"}
                if table == "lead"
                else {
                    "stage_name": "Prospecting",
                    "is_closed": "false",
                    "is_won": "false",
                    "probability": "10",
                }
            )
            out.append(
                {
                    **row,
                    **earlier,
                    "_fivetran_active": "false",
                    "_fivetran_start": "2026-09-01T05:00:00Z",
                    "_fivetran_end": changed,
                }
            )
    return out


def tables() -> dict[tuple[str, str], list[dict[str, str]]]:
    """(system, table) → rows, columns named as Fivetran lands them."""
    customers = [
        {
            "customer_id": "CU001",
            "customer_name": "株式会社サクラテック",
            "domain": "sakura-tech.co.jp",
            "industry": "情報通信業",
            "employee_count": "250",
            "sfdc_account_id": ACCOUNTS[0]["id"],
            "is_deleted": "false",
            "created_at": "2025-04-01T00:00:00Z",
            "updated_at": "2026-10-25T00:00:00Z",
        },
        {
            "customer_id": "CU002",
            "customer_name": "みらい商事株式会社",
            "domain": "mirai-shoji.co.jp",
            "industry": "製造業",
            "employee_count": "1200",
            "sfdc_account_id": ACCOUNTS[1]["id"],
            "is_deleted": "false",
            "created_at": "2026-10-10T00:00:00Z",
            "updated_at": "2026-10-10T00:00:00Z",
        },
    ]
    contracts = [
        {
            "contract_id": "K001",
            "customer_id": "CU001",
            "product_line": "SaaS",
            "contract_type": "new",
            "start_date": "2025-04-01",
            "end_date": "2027-03-31",
            "amount_jpy": "2400000",
            "is_deleted": "false",
            "created_at": "2025-03-20T00:00:00Z",
        },
        {
            "contract_id": "K002",
            "customer_id": "CU002",
            "product_line": "SaaS",
            "contract_type": "new",
            "sfdc_opportunity_id": "0065g00000A1OP2AAA",
            "start_date": "2026-11-01",
            "end_date": "2027-10-31",
            "amount_jpy": "3600000",
            "is_deleted": "false",
            "created_at": "2026-10-10T00:00:00Z",
        },
    ]
    scores = [("N1", "CU001", "10"), ("N2", "CU001", "9"), ("N3", "CU002", "7"), ("N4", "CU002", "3")]
    nps = [
        {
            "response_id": rid,
            "customer_id": cid,
            "survey_name": "2026年10月 顧客満足度調査",
            "score": score,
            "responded_at": f"2026-10-1{index}T01:00:00Z",
        }
        for index, (rid, cid, score) in enumerate(scores)
    ]
    months = [f"2026-{month:02d}-01" for month in range(4, 11)]
    pl = [
        {"period_month": month, "line_item": item, "amount_jpy": amount}
        for month in months
        for item, amount in (("revenue", "1000000"), ("cost_of_sales", "600000"), ("sga", "250000"))
    ]
    for rows in (customers, contracts, nps, pl):
        for row in rows:
            row["exported_at"] = EXPORTED
    events = [
        {
            "id": f"900{index}",
            "type": kind,
            "recipient": "k.kato@example-a.co.jp",
            "email_campaign_id": "3001",
            "created": f"2026-10-0{index + 1}T00:00:00Z",
            "_fivetran_synced": SYNCED,
        }
        for index, kind in enumerate(
            ["PROCESSED", "SENT", "DELIVERED", "OPEN", "CLICK", "SUPPRESSED", "BLOCKED"]
        )
    ]
    companies = [
        {
            "id": "7001",
            "is_deleted": "false",
            "property_name": "株式会社サクラテック",
            "property_domain": "sakura-tech.co.jp",
            "property_createdate": "2025-01-01T00:00:00Z",
            "_fivetran_synced": SYNCED,
        },
        {
            "id": "7002",
            "is_deleted": "true",
            "property_name": "削除済み株式会社",
            "property_domain": "deleted.example.jp",
            "property_createdate": "2025-01-01T00:00:00Z",
            "_fivetran_synced": SYNCED,
        },
    ]
    common = {"is_deleted": "false", "created_date": "2025-01-01T00:00:00Z", "_fivetran_synced": SYNCED}
    return {
        ("salesforce", "user"): [{**user, "_fivetran_synced": SYNCED} for user in USERS],
        ("salesforce", "account"): [{**common, **account, "owner_id": SALES_REP} for account in ACCOUNTS],
        ("salesforce", "contact"): [{**common, **contact, "owner_id": SALES_REP} for contact in CONTACTS],
        ("salesforce", "lead"): _salesforce_leads(),
        ("salesforce", "opportunity"): _salesforce_opportunities(),
        ("salesforce", "opportunity_line_item"): [],
        ("salesforce", "product_2"): [
            {
                **common,
                "id": "01t5g00000A1PR1AAA",
                "name": "SaaS Standard",
                "product_code": "SAAS-STD",
                "family": "SaaS",
                "is_active": "true",
            }
        ],
        ("salesforce", "task"): _salesforce_tasks(),
        ("hubspot", "contact"): _hubspot_contacts(),
        ("hubspot", "company"): companies,
        ("hubspot", "contact_form_submission"): [],
        ("hubspot", "email_event"): events,
        ("crm", "customers"): customers,
        ("crm", "contracts"): contracts,
        ("crm", "nps_responses"): nps,
        ("finance", "pl_monthly"): pl,
    }


# Columns of each table as the vendor defines them (Salesforce object reference field names in
# Fivetran's spelling; HubSpot default properties): no custom fields.
COLUMNS = {
    ("salesforce", "user"): [
        "id",
        "name",
        "email",
        "department",
        "division",
        "is_active",
        "created_date",
        "_fivetran_synced",
    ],
    ("salesforce", "account"): [
        "id",
        "is_deleted",
        "name",
        "website",
        "industry",
        "number_of_employees",
        "type",
        "owner_id",
        "created_date",
        "_fivetran_synced",
    ],
    ("salesforce", "contact"): [
        "id",
        "is_deleted",
        "account_id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "title",
        "lead_source",
        "owner_id",
        "created_date",
        "_fivetran_synced",
    ],
    ("salesforce", "lead"): [
        "id",
        "is_deleted",
        "first_name",
        "last_name",
        "email",
        "phone",
        "company",
        "title",
        "industry",
        "number_of_employees",
        "website",
        "lead_source",
        "status",
        "is_converted",
        "converted_date",
        "converted_account_id",
        "converted_contact_id",
        "converted_opportunity_id",
        "owner_id",
        "created_date",
        "last_modified_date",
        "_fivetran_synced",
    ],
    ("salesforce", "opportunity"): [
        "id",
        "is_deleted",
        "account_id",
        "contact_id",
        "name",
        "type",
        "stage_name",
        "amount",
        "probability",
        "is_closed",
        "is_won",
        "close_date",
        "lead_source",
        "owner_id",
        "created_date",
        "forecast_category_name",
        "_fivetran_synced",
    ],
    ("salesforce", "opportunity_line_item"): [
        "id",
        "is_deleted",
        "opportunity_id",
        "product_2_id",
        "quantity",
        "unit_price",
        "total_price",
        "created_date",
        "_fivetran_synced",
    ],
    ("salesforce", "product_2"): [
        "id",
        "is_deleted",
        "name",
        "product_code",
        "family",
        "is_active",
        "created_date",
        "_fivetran_synced",
    ],
    ("salesforce", "task"): [
        "id",
        "is_deleted",
        "who_id",
        "what_id",
        "owner_id",
        "subject",
        "type",
        "status",
        "activity_date",
        "created_date",
        "_fivetran_synced",
    ],
    ("hubspot", "contact"): [
        "id",
        "_fivetran_deleted",
        "property_email",
        "property_firstname",
        "property_lastname",
        "property_company",
        "property_phone",
        "property_jobtitle",
        "property_lifecyclestage",
        "property_hs_lifecyclestage_lead_date",
        "property_hs_lifecyclestage_marketingqualifiedlead_date",
        "property_hs_lifecyclestage_salesqualifiedlead_date",
        "property_hs_lifecyclestage_opportunity_date",
        "property_hs_lifecyclestage_customer_date",
        "property_hubspotscore",
        "property_hs_analytics_source",
        "property_hs_analytics_num_page_views",
        "property_hs_analytics_num_visits",
        "property_hs_analytics_last_visit_timestamp",
        "property_salesforceleadid",
        "property_associatedcompanyid",
        "property_createdate",
        "_fivetran_synced",
    ],
    ("hubspot", "company"): [
        "id",
        "is_deleted",
        "property_name",
        "property_domain",
        "property_industry",
        "property_numberofemployees",
        "property_createdate",
        "_fivetran_synced",
    ],
    ("hubspot", "contact_form_submission"): [
        "contact_id",
        "conversion_id",
        "form_id",
        "title",
        "page_url",
        "timestamp",
        "_fivetran_synced",
    ],
    ("hubspot", "email_event"): [
        "id",
        "type",
        "recipient",
        "email_campaign_id",
        "created",
        "_fivetran_synced",
    ],
    ("crm", "customers"): [
        "customer_id",
        "corporate_number",
        "customer_name",
        "domain",
        "industry",
        "employee_count",
        "sfdc_account_id",
        "is_deleted",
        "created_at",
        "updated_at",
        "exported_at",
    ],
    ("crm", "contracts"): [
        "contract_id",
        "customer_id",
        "product_line",
        "contract_type",
        "previous_contract_id",
        "sfdc_opportunity_id",
        "start_date",
        "end_date",
        "amount_jpy",
        "is_deleted",
        "created_at",
        "exported_at",
    ],
    ("crm", "nps_responses"): [
        "response_id",
        "customer_id",
        "respondent_email",
        "survey_name",
        "score",
        "comment",
        "responded_at",
        "exported_at",
    ],
    ("finance", "pl_monthly"): ["period_month", "line_item", "amount_jpy", "exported_at"],
}
SALESFORCE_API_TABLES = {
    "lead": "Lead",
    "contact": "Contact",
    "account": "Account",
    "opportunity": "Opportunity",
    "opportunity_line_item": "OpportunityLineItem",
    "product_2": "Product2",
    "task": "Task",
    "user": "User",
}


def api_name(column: str) -> str:
    if column == "_fivetran_synced":
        return "SystemModstamp"
    if column.startswith("_"):
        return column
    return "".join(part[:1].upper() + part[1:] for part in column.split("_"))


def write(root: Path, *, spelling: str = "fivetran", history_mode: bool = False) -> Path:
    """Write the org under root/<system>/<table>.csv; `spelling` api: Salesforce as API exports."""
    for (system, table), rows in tables().items():
        columns = list(COLUMNS[(system, table)])
        if history_mode and system == "salesforce" and table in HISTORY_MODE_TABLES:
            rows = _with_history(table, rows)
            columns += ["_fivetran_active", "_fivetran_start", "_fivetran_end"]
        name = table
        if system == "salesforce" and spelling == "api":
            name = SALESFORCE_API_TABLES[table]
            rows = [{api_name(key): value for key, value in row.items()} for row in rows]
            columns = [api_name(column) for column in columns]
        path = root / system / f"{name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="raise")
            writer.writeheader()
            for row in rows:
                writer.writerow({column: row.get(column, "") for column in columns})
    return root

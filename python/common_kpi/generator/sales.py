"""Salesforce (SFA): users, leads (synced MQLs, direct leads, duplicates), the inside-sales
activity log, lead conversion into account + contact + new-business opportunity.

Rates at any scale: ~22.8 % of MQL leads convert with an opportunity, 88 % of those within
90 days of the MQL (→ MQL→opportunity within 90 days ≈ 20 %); 20 % of closed new-business
opportunities are won; IS first touch within 24 h for most leads, working hours only (JST
9-19, weekdays minus holidays), so SLA breaches cluster after Friday-evening MQLs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from common_kpi.generator import people as ppl
from common_kpi.generator.timeutil import DAY, HOUR, JST_OFFSET, sf_ids
from common_kpi.generator.world import SAAS, World

# (product code, name, family, business unit, annual unit price per seat / monthly fee)
PRODUCTS = [
    ("CRM-STD", "CRM Suite Standard", "CRM Suite", SAAS, 72_000),
    ("CRM-ENT", "CRM Suite Enterprise", "CRM Suite", SAAS, 144_000),
    ("MA-CLD", "MA Cloud", "MA Cloud", SAAS, 96_000),
    ("BI-ANL", "Analytics", "Analytics", SAAS, 60_000),
    ("CNS-KPI", "KPI設計コンサルティング", "Consulting", 1, 110_000),
    ("SUP-OPS", "運用サポート", "Support", 1, 45_000),
]
FAMILIES = ["CRM Suite", "MA Cloud", "Analytics", "Consulting", "Support"]
FAMILY_BU = np.array([0, 0, 0, 1, 1])
FAMILY_MAIN_PRODUCT = np.array([0, 2, 3, 4, 5])
STAGES = [("Prospecting", 10), ("Qualification", 20), ("Needs Analysis", 40), ("Proposal", 60),
          ("Negotiation", 80), ("Closed Won", 100), ("Closed Lost", 0)]
DIRECT_SOURCES = np.array(["Seminar", "Referral", "Outbound", "Partner"], dtype=object)
DIRECT_LEAD_SHARE = 0.13
P_CONVERT = 0.21
P_CONVERT_DIRECT = 0.25
P_WIN_NEW = 0.21
# Leads from companies that fit the offer convert and win more often (what ABM scoring bets
# on). Multipliers by employee band (lower bounds) and by industry (index of
# people.INDUSTRIES); they are normalised to mean 1 over the leads, so the overall rates
# above are kept.
FIT_SIZE_BANDS = np.array([0, 30, 100, 300, 1000])
FIT_SIZE_FACTOR = np.array([0.6, 0.8, 1.0, 1.3, 1.6])
FIT_INDUSTRY_FACTOR = np.array([1.25, 1.4, 1.15, 0.95, 0.75, 0.75, 0.7, 1.0, 0.6])


def company_fit_factor(employees: np.ndarray, industry: np.ndarray) -> np.ndarray:
    """Relative propensity to buy of a company, from its size band and industry."""
    band = np.searchsorted(FIT_SIZE_BANDS, employees, side="right") - 1
    return FIT_SIZE_FACTOR[band] * FIT_INDUSTRY_FACTOR[industry]


def make_users(w: World) -> dict[str, np.ndarray]:
    rng = w.rng("sales.users")
    spec = [("Inside Sales", 5), ("Field Sales", 6), ("Customer Success", 3), ("Marketing", 2)]
    dept, div = [], []
    for b in (0, 1):
        share = 0.7 if b == 0 else 0.3
        for name, k in spec:
            cnt = max(2, round(k * share * 2 * w.cfg.scale))
            dept += [name] * cnt
            div += [b] * cnt
    n = len(dept)
    fam = rng.integers(0, len(ppl.FAMILY_NAMES), n)
    giv = rng.integers(0, len(ppl.GIVEN_NAMES), n)
    names = [f"{ppl.FAMILY_NAMES[f][0]} {ppl.GIVEN_NAMES[g][0]}" for f, g in zip(fam, giv, strict=True)]
    emails = [f"{ppl.GIVEN_NAMES[g][1]}.{ppl.FAMILY_NAMES[f][1]}{i}@common-kpi.co.jp"
              for i, (f, g) in enumerate(zip(fam, giv, strict=True))]
    created = (w.start_day - rng.integers(30, 1500, n)) * DAY + 10 * HOUR - JST_OFFSET
    active = rng.random(n) < 0.92
    return {
        "id": np.array(sf_ids("005", 0, n), dtype=object),
        "name": np.array(names, dtype=object),
        "email": np.array(emails, dtype=object),
        "department": np.array(dept, dtype=object),
        "division": np.array(div),
        "is_active": active,
        "created": created,
    }


def reps(users: dict[str, np.ndarray], department: str, bu: int) -> np.ndarray:
    return np.flatnonzero((users["department"] == department) & (users["division"] == bu))


def pick_rep(rng: np.random.Generator, users: dict[str, np.ndarray], department: str,
             bu: np.ndarray) -> np.ndarray:
    out = np.empty(len(bu), dtype=np.int64)
    for b in (0, 1):
        pool = reps(users, department, b)
        m = bu == b
        out[m] = pool[rng.integers(0, len(pool), int(m.sum()))]
    return out


@dataclass
class Leads:
    person: np.ndarray
    bu: np.ndarray
    created: np.ndarray
    source: np.ndarray
    hs_index: np.ndarray      # HubSpot person index (-1 = created directly in Salesforce)
    first_touch: np.ndarray   # -1 = not touched yet
    status: np.ndarray
    converted: np.ndarray
    conv_time: np.ndarray
    with_opp: np.ndarray
    disposition: np.ndarray   # when the lead was last worked
    owner: np.ndarray
    is_dup: np.ndarray


def simulate_leads(w: World) -> None:
    d = w.data
    plan = d["contact_plan"]
    cal = w.calendar
    rng = w.rng("sales.leads")
    n_mql = plan.n_mql
    direct_person = d["direct_person"]
    n_dir = len(direct_person)
    person = np.concatenate([np.arange(n_mql), direct_person])
    n = len(person)
    is_direct = np.arange(n) >= n_mql
    bu = np.concatenate([plan.bu[:n_mql], d["direct_bu"]])
    created = np.concatenate([plan.mql_time[:n_mql] + rng.integers(120, 1800, n_mql), d["direct_created"]])
    created = np.minimum(created, w.cutoff - 30)
    source = np.where(is_direct, rng.choice(DIRECT_SOURCES, n, p=[0.4, 0.25, 0.25, 0.1]), "Web")
    hs_index = np.where(is_direct, -1, np.arange(n))
    # inside-sales first touch, in working time
    r = rng.random(n)
    delay = np.where(r < 0.72, rng.exponential(1.3 * HOUR, n),
                     np.where(r < 0.9, rng.uniform(8 * HOUR, 20 * HOUR, n),
                              rng.uniform(20 * HOUR, 90 * HOUR, n))).astype(np.int64)
    ft = cal.add_working_seconds(created, delay)
    on_duty = ~cal.is_working_day((created + JST_OFFSET) // DAY) & (rng.random(n) < 0.05)
    ft = np.where(on_duty, created + rng.integers(HOUR // 2, 4 * HOUR, n), ft)
    touched = ft < w.cutoff
    # outcome
    comp: ppl.Companies = d["companies"]
    lead_company = d["people"].company[person]
    fit = company_fit_factor(comp.employees[lead_company], comp.industry[lead_company])
    fit = fit / fit.mean()
    d["lead_fit"] = fit
    p_conv = np.clip(np.where(is_direct, P_CONVERT_DIRECT, P_CONVERT) * fit, 0.0, 0.9)
    converter = rng.random(n) < p_conv
    lag = np.exp(rng.normal(np.log(20 * DAY), 1.3, n)).astype(np.int64)
    conv = cal.add_working_seconds(np.maximum(created + lag, ft + DAY), rng.integers(0, 3 * HOUR, n))
    converted = converter & touched & (conv < w.cutoff)
    with_opp = converted & (rng.random(n) < 0.95)
    disp = cal.add_working_seconds(ft, rng.integers(2, 40, n) * 10 * HOUR)
    unq = rng.random(n) < 0.45
    status = np.full(n, "Working", dtype=object)
    status[~touched] = "Open"
    status[~converter & touched & (disp < w.cutoff)] = np.where(
        unq, "Unqualified", "Nurturing")[~converter & touched & (disp < w.cutoff)]
    status[converter & touched & ~converted & (conv - w.cutoff < 20 * DAY)] = "Qualified"
    status[converted] = "Converted"
    disposition = np.where(converted, conv, np.where(disp < w.cutoff, disp, -1))
    owner = pick_rep(rng, d["users"], "Inside Sales", bu)

    # duplicate leads: the same person registered again (seminar list, business card scan)
    n_dup = round(n * 0.015)
    dup_of = np.sort(rng.choice(n, n_dup, replace=False))
    dup_created = created[dup_of] + rng.integers(3 * DAY, 300 * DAY, n_dup)
    keep = dup_created < w.cutoff
    dup_of, dup_created = dup_of[keep], dup_created[keep]
    n_dup = len(dup_of)
    w.defects.add("duplicate_person", "salesforce.lead", n_dup)
    leads = Leads(
        person=np.concatenate([person, person[dup_of]]),
        bu=np.concatenate([bu, bu[dup_of]]),
        created=np.concatenate([created, dup_created]),
        source=np.concatenate([source, rng.choice(["Seminar", "Web"], n_dup)]).astype(object),
        hs_index=np.concatenate([hs_index, np.full(n_dup, -1)]),
        first_touch=np.concatenate([np.where(touched, ft, -1), np.full(n_dup, -1)]),
        status=np.concatenate([status, rng.choice(["Unqualified", "Open", "Nurturing"], n_dup,
                                                  p=[0.5, 0.2, 0.3])]).astype(object),
        converted=np.concatenate([converted, np.zeros(n_dup, bool)]),
        conv_time=np.concatenate([np.where(converted, conv, -1), np.full(n_dup, -1)]),
        with_opp=np.concatenate([with_opp, np.zeros(n_dup, bool)]),
        disposition=np.concatenate([disposition, np.full(n_dup, -1)]),
        owner=np.concatenate([owner, owner[dup_of]]),
        is_dup=np.concatenate([np.zeros(n, bool), np.ones(n_dup, bool)]),
    )
    d["leads"] = leads
    d["n_direct"] = n_dir
    order = np.argsort(leads.created, kind="stable")
    lead_ids = np.empty(len(order), dtype=object)
    lead_ids[order] = sf_ids("00Q", 0, len(order))
    d["lead_ids"] = lead_ids
    _new_business(w, leads)
    _lifecycle(w, leads, n_mql)


def _new_business(w: World, leads: Leads) -> None:
    """Accounts, contacts and new-business opportunities from converted leads."""
    d = w.data
    rng = w.rng("sales.opps")
    people: ppl.People = d["people"]
    comp: ppl.Companies = d["companies"]
    conv_idx = np.flatnonzero(leads.converted)
    conv_idx = conv_idx[np.argsort(leads.conv_time[conv_idx], kind="stable")]
    # accounts: installed-base companies already have one; others get one at first conversion
    ib_company = d["ib_company"]
    acc_company = list(ib_company)
    acc_created = list(d["ib_account_created"])
    acc_bu = list(d["ib_primary_bu"])
    acc_of: dict[int, int] = {int(c): i for i, c in enumerate(ib_company)}
    lead_account = np.full(len(leads.person), -1)
    for li in conv_idx:
        c = int(people.company[leads.person[li]])
        if c not in acc_of:
            acc_of[c] = len(acc_company)
            acc_company.append(c)
            acc_created.append(leads.conv_time[li])
            acc_bu.append(leads.bu[li])
        lead_account[li] = acc_of[c]
    d["acc_company"] = np.array(acc_company, dtype=np.int64)
    d["acc_created"] = np.array(acc_created, dtype=np.int64)
    d["acc_bu"] = np.array(acc_bu, dtype=np.int64)
    d["acc_of"] = acc_of
    # contacts: installed-base contacts, then one per converted lead
    ib_person = d["ib_person"]
    con_person = np.concatenate([ib_person, leads.person[conv_idx]])
    con_created = np.concatenate([d["ib_contact_created"], leads.conv_time[conv_idx]])
    con_account = np.concatenate([[acc_of[int(c)] for c in people.company[ib_person]],
                                  lead_account[conv_idx]]).astype(np.int64)
    con_source = np.concatenate([np.full(len(ib_person), None, dtype=object),
                                 leads.source[conv_idx]])
    lead_contact = np.full(len(leads.person), -1)
    lead_contact[conv_idx] = len(ib_person) + np.arange(len(conv_idx))
    d["con"] = {"person": con_person, "created": con_created, "account": con_account,
                "source": con_source,
                "owner": pick_rep(rng, d["users"], "Customer Success",
                                  d["acc_bu"][con_account])}
    d["lead_account"] = lead_account
    d["lead_contact"] = lead_contact

    # first opportunities
    opp_lead = conv_idx[leads.with_opp[conv_idx]]
    m = len(opp_lead)
    created1 = leads.conv_time[opp_lead] + rng.integers(60, 1800, m)
    win_fit = np.sqrt(d["lead_fit"][opp_lead])
    won1 = rng.random(m) < np.clip(P_WIN_NEW * win_fit / win_fit.mean(), 0.0, 0.9)
    cyc1 = np.exp(rng.normal(np.log(np.where(won1, 55, 38) * DAY), 0.5)).astype(np.int64)
    close1 = created1 + cyc1
    # second chances: a lost deal re-opened later with the same contact
    lost_closed = ~won1 & (close1 < w.cutoff)
    again = lost_closed & (rng.random(m) < 0.15)
    created2 = close1[again] + rng.integers(90 * DAY, 300 * DAY, int(again.sum()))
    keep2 = created2 < w.cutoff
    lead2 = opp_lead[again][keep2]
    created2 = created2[keep2]
    m2 = len(lead2)
    won2 = rng.random(m2) < P_WIN_NEW
    cyc2 = np.exp(rng.normal(np.log(np.where(won2, 55, 38) * DAY), 0.5)).astype(np.int64)
    lead_of = np.concatenate([opp_lead, lead2])
    created = np.concatenate([created1, created2])
    won = np.concatenate([won1, won2])
    close = np.concatenate([close1, created2 + cyc2])
    k = len(lead_of)
    bu = leads.bu[lead_of]
    company = people.company[leads.person[lead_of]]
    # products: line items
    lines = []  # (opp, product, quantity, unit_price)
    emp = comp.employees[company]
    for i in range(k):
        if bu[i] == SAAS:
            fams = [int(rng.choice([0, 1, 2], p=[0.5, 0.3, 0.2]))]
            if rng.random() < 0.25:
                fams.append(int(rng.choice([f for f in (0, 1, 2) if f != fams[0]])))
        else:
            fams = [3 if rng.random() < 0.8 else 4]
            if rng.random() < 0.25:
                fams.append(7 - fams[0])
        for f in fams:
            prod = int(FAMILY_MAIN_PRODUCT[f])
            if f == 0 and rng.random() < 0.3:
                prod = 1
            base = PRODUCTS[prod][4]
            qty = int(np.clip(round(emp[i] ** 0.8 * rng.uniform(0.05, 0.2)), 3, 200)) if f <= 2 else 12
            price = int(round(base * rng.uniform(0.85, 1.0) * (rng.uniform(0.7, 1.6) if f > 2 else 1), -2))
            lines.append((i, prod, qty, price))
    li = np.array(lines, dtype=np.int64).reshape(-1, 4)
    amount = np.zeros(k, dtype=np.int64)
    np.add.at(amount, li[:, 0], li[:, 2] * li[:, 3])
    d["nb"] = {
        "lead": lead_of, "created": created, "won": won, "close": close, "bu": bu,
        "company": company, "account": d["lead_account"][lead_of],
        "contact": d["lead_contact"][lead_of], "amount": amount, "lines": li,
        "source": leads.source[lead_of],
        "owner": pick_rep(rng, d["users"], "Field Sales", bu),
    }


def _lifecycle(w: World, leads: Leads, n_mql: int) -> None:
    """HubSpot lifecycle dates of the MQL persons, as the MA sync saw them."""
    d = w.data
    rng = w.rng("sales.lifecycle")
    plan = d["contact_plan"]
    n_hs = len(plan)
    mql = plan.mql_time.copy()
    sql = np.full(n_hs, -1, np.int64)
    opp = np.full(n_hs, -1, np.int64)
    cust = np.full(n_hs, -1, np.int64)
    sf_id = np.full(n_hs, None, dtype=object)
    sf_id[:n_mql] = d["lead_ids"][:n_mql]
    idx = np.arange(n_mql)
    conv = leads.converted[idx]
    ct = leads.conv_time[idx]
    sql[idx[conv]] = ct[conv] - rng.integers(HOUR, 2 * DAY, int(conv.sum()))
    qual = leads.status[idx] == "Qualified"
    sql[idx[qual]] = np.minimum(leads.first_touch[idx[qual]] + DAY, w.cutoff - 60)
    sql = np.where(sql >= 0, np.maximum(sql, mql), sql)
    opp_time = ct + rng.integers(60, 3600, n_mql)
    has_opp = leads.with_opp[idx] & (opp_time < w.cutoff)
    opp[idx[has_opp]] = opp_time[has_opp]
    nb = d["nb"]
    won_hs = nb["won"] & (nb["close"] < w.cutoff) & (nb["lead"] < n_mql)
    for li, t in zip(nb["lead"][won_hs], nb["close"][won_hs], strict=True):
        cust[li] = t if cust[li] < 0 else min(cust[li], t)
    # stage skipping: Salesforce converted before HubSpot marked the MQL (or never did)
    skip_r = rng.random(n_mql)
    late = conv & (skip_r < 0.06)
    late_t = ct + rng.integers(DAY, 10 * DAY, n_mql)
    mql[idx[late]] = np.where(late_t[late] < w.cutoff, late_t[late], -1)
    never = conv & (skip_r >= 0.06) & (skip_r < 0.09)
    mql[idx[never]] = -1
    w.defects.add("mql_recorded_after_conversion", "hubspot.contact", int(late.sum()))
    w.defects.add("mql_stage_skipped", "hubspot.contact", int(never.sum()))
    d["hs_lifecycle"] = {"mql_date": mql, "sql_date": sql, "opp_date": opp,
                         "customer_date": cust, "sf_lead_id": sf_id}

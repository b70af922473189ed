"""Render and write the Salesforce tables (with their counted defects)."""

from __future__ import annotations

import numpy as np

from common_kpi.generator import people as ppl
from common_kpi.generator.messiness import (
    QUARANTINE_COUNTS,
    count_written,
    fullwidth_digits,
    pick_rows,
    render_company_names,
    render_corporate_numbers,
    retype_emails,
)
from common_kpi.generator.sales import FAMILIES, PRODUCTS, STAGES, Leads
from common_kpi.generator.timeutil import DAY, HOUR, JST_OFFSET, fmt_date, fmt_ts, jst_day, sf_ids
from common_kpi.generator.world import BUSINESS_UNITS, World
from common_kpi.generator.writer import TableSink

BU = np.array(BUSINESS_UNITS, dtype=object)
INDUSTRY = np.array(ppl.INDUSTRIES, dtype=object)


def _sink(w: World, table: str) -> TableSink:
    return TableSink(w.cfg.out, "salesforce", table, w.cfg.fmt)


def _done(w: World, sink: TableSink) -> None:
    sink.close()
    w.data["row_counts"][f"salesforce.{sink.path.stem}"] = sink.rows


def write_salesforce(w: World) -> None:
    d = w.data
    rng = w.rng("salesforce.tables")
    users = d["users"]
    user_ids = users["id"]
    comp: ppl.Companies = d["companies"]
    people: ppl.People = d["people"]

    # users
    s = _sink(w, "user")
    s.write_columns({
        "id": user_ids, "name": users["name"], "email": users["email"],
        "department": users["department"], "division": BU[users["division"]],
        "is_active": users["is_active"], "created_date": fmt_ts(users["created"]),
        "_fivetran_synced": fmt_ts(w.synced(rng, len(user_ids))),
    }, len(user_ids))
    _done(w, s)

    # products
    n_p = len(PRODUCTS)
    product_ids = np.array(sf_ids("01t", 0, n_p), dtype=object)
    s = _sink(w, "product_2")
    s.write_columns({
        "id": product_ids, "is_deleted": np.zeros(n_p, bool),
        "name": np.array([p[1] for p in PRODUCTS], dtype=object),
        "product_code": np.array([p[0] for p in PRODUCTS], dtype=object),
        "family": np.array([p[2] for p in PRODUCTS], dtype=object),
        "is_active": np.ones(n_p, bool),
        "created_date": fmt_ts(np.full(n_p, w.start - 400 * DAY)),
        "_fivetran_synced": fmt_ts(w.synced(rng, n_p)),
    }, n_p)
    _done(w, s)

    # accounts
    acc_company = d["acc_company"]
    n_a = len(acc_company)
    order = np.argsort(d["acc_created"], kind="stable")
    acc_ids = np.empty(n_a, dtype=object)
    acc_ids[order] = sf_ids("001", 0, n_a)
    d["acc_ids"] = acc_ids
    book = d["book"]
    cust = d["customers"]
    active_company, former_company = set(), set()
    for t in book.terms:
        if t.created < w.cutoff:
            c = int(cust["company"][t.customer])
            if t.start <= w.as_of_day <= t.end:
                active_company.add(c)
            else:
                former_company.add(c)
    acc_type = np.array(["Customer" if c in active_company else "Former Customer"
                         if c in former_company else "Prospect" for c in acc_company.tolist()],
                        dtype=object)
    names = render_company_names(rng, comp.name[acc_company], comp.is_kana[acc_company],
                                 comp.legal_prefix[acc_company])
    corp = render_corporate_numbers(rng, comp.corporate_number[acc_company], 0.35)
    website = np.where(rng.random(n_a) < 0.5, "https://www." + comp.domain[acc_company],
                       comp.domain[acc_company])
    acc_owner = user_ids[_reps(rng, users, "Field Sales", d["acc_bu"])]
    # soft-deleted junk copies (a duplicate someone created and deleted)
    junk = pick_rows(rng, np.arange(n_a), 0.015)
    all_idx = np.concatenate([order, junk])
    junk_ids = np.array(sf_ids("001", n_a, len(junk)), dtype=object)
    ids = np.concatenate([acc_ids[order], junk_ids])
    deleted = np.concatenate([np.zeros(n_a, bool), np.ones(len(junk), bool)])
    w.defects.add("soft_deleted", "salesforce.account", len(junk))
    created = d["acc_created"][all_idx] + np.where(deleted, rng.integers(HOUR, 30 * DAY, len(all_idx)), 0)
    created = np.minimum(created, w.cutoff - 60)
    count_written(w.defects, "salesforce.account", names[all_idx], "company_name")
    count_written(w.defects, "salesforce.account", corp[all_idx], "corporate_number")
    s = _sink(w, "account")
    s.write_columns({
        "id": ids, "is_deleted": deleted, "name": names[all_idx], "website": website[all_idx],
        "industry": INDUSTRY[comp.industry[acc_company]][all_idx],
        "number_of_employees": comp.employees[acc_company][all_idx],
        "type": acc_type[all_idx], "corporate_number__c": corp[all_idx],
        "business_unit__c": BU[d["acc_bu"]][all_idx], "owner_id": acc_owner[all_idx],
        "created_date": fmt_ts(created), "_fivetran_synced": fmt_ts(w.synced(rng, len(ids), created)),
    }, len(ids))
    _done(w, s)
    d["gt_company"].append(("salesforce", "account", ids, acc_company[all_idx]))

    # contacts
    con = d["con"]
    n_c = len(con["person"])
    c_order = np.argsort(con["created"], kind="stable")
    con_ids = np.empty(n_c, dtype=object)
    con_ids[c_order] = sf_ids("003", 0, n_c)
    d["con_ids"] = con_ids
    c_email = people.email[con["person"]].copy()
    vmask = rng.random(n_c) < 0.03
    c_email[vmask] = retype_emails(rng, c_email[vmask])
    junk = pick_rows(rng, np.arange(n_c), 0.015)
    all_idx = np.concatenate([c_order, junk])
    ids = np.concatenate([con_ids[c_order], np.array(sf_ids("003", n_c, len(junk)), dtype=object)])
    deleted = np.concatenate([np.zeros(n_c, bool), np.ones(len(junk), bool)])
    w.defects.add("soft_deleted", "salesforce.contact", len(junk))
    created = np.minimum(con["created"][all_idx] + np.where(deleted, DAY, 0), w.cutoff - 60)
    p = con["person"][all_idx]
    count_written(w.defects, "salesforce.contact", c_email[all_idx], "email")
    s = _sink(w, "contact")
    s.write_columns({
        "id": ids, "is_deleted": deleted, "account_id": acc_ids[con["account"][all_idx]],
        "first_name": ppl.given_names(people.given[p]), "last_name": ppl.family_names(people.family[p]),
        "email": c_email[all_idx], "phone": people.phone[p],
        "title": np.array(ppl.JOB_TITLES, dtype=object)[people.title[p]],
        "lead_source": con["source"][all_idx], "owner_id": user_ids[con["owner"][all_idx]],
        "created_date": fmt_ts(created), "_fivetran_synced": fmt_ts(w.synced(rng, len(ids), created)),
    }, len(ids))
    _done(w, s)
    d["gt_person"].append(("salesforce", "contact", ids, p))

    _write_opportunities(w, rng, product_ids)
    _write_leads(w, rng)
    _write_tasks(w, rng)


def _reps(rng: np.random.Generator, users: dict, department: str, bu: np.ndarray) -> np.ndarray:
    from common_kpi.generator.sales import pick_rep
    return pick_rep(rng, users, department, np.asarray(bu))


def _write_opportunities(w: World, rng: np.random.Generator, product_ids: np.ndarray) -> None:
    d = w.data
    nb, eb = d["nb"], d["eb"]
    comp: ppl.Companies = d["companies"]
    book = d["book"]
    users = d["users"]
    acc_of = d["acc_of"]
    con = d["con"]
    # a contact per account for existing-business deals
    first_contact: dict[int, int] = {}
    for i, a in enumerate(con["account"].tolist()):
        first_contact.setdefault(a, i)
    k, m = len(nb["created"]), len(eb["created"])
    eb_account = np.array([acc_of[int(c)] for c in eb["company"]], dtype=np.int64)
    eb_contact = np.array([first_contact.get(int(a), -1) for a in eb_account], dtype=np.int64)
    term_created = np.array([book.terms[t].created if t >= 0 else 0 for t in eb["term"]],
                            dtype=np.int64)
    eb_close = np.where(eb["term"] >= 0, np.minimum(eb["close"], term_created - HOUR), eb["close"])
    created = np.concatenate([nb["created"], np.minimum(eb["created"], eb_close - DAY)])
    close = np.concatenate([nb["close"], eb_close])
    won = np.concatenate([nb["won"], eb["won"]])
    account = np.concatenate([nb["account"], eb_account])
    contact = np.concatenate([nb["contact"], eb_contact])
    bu = np.concatenate([nb["bu"], eb["bu"]])
    company = np.concatenate([nb["company"], eb["company"]])
    typ = np.concatenate([np.full(k, "New Business", dtype=object), eb["type"]])
    amount = np.concatenate([nb["amount"], eb["amount"]])
    source = np.concatenate([nb["source"], np.full(m, "Existing Customer", dtype=object)])
    owner = np.concatenate([nb["owner"], _reps(rng, users, "Customer Success", eb["bu"])])
    n = k + m
    closed = close < w.cutoff
    progress = np.clip((w.cutoff - created) / np.maximum(close - created, 1), 0, 0.999)
    stage_idx = np.where(closed, np.where(won, 5, 6), (progress * 5).astype(int))
    stage = np.array([st[0] for st in STAGES], dtype=object)[stage_idx]
    prob = np.array([st[1] for st in STAGES])[stage_idx]
    order = np.argsort(created, kind="stable")
    opp_ids = np.empty(n, dtype=object)
    opp_ids[order] = sf_ids("006", 0, n)
    d["opp_ids"] = opp_ids
    d["opp_count_nb"] = k
    d["opp_created"] = created
    d["opp_contact"] = contact
    d["opp_account"] = account
    d["opp_owner"] = owner
    d["opp_close"] = close
    fam_of_nb = [FAMILIES.index(PRODUCTS[int(p)][2]) for p in nb["lines"][:, 1]] if k else []
    first_family = np.zeros(n, dtype=np.int64)
    if k:
        seen = np.zeros(k, bool)
        for (oi, *_), f in zip(nb["lines"], fam_of_nb, strict=True):
            if not seen[oi]:
                first_family[oi], seen[oi] = f, True
    first_family[k:] = eb["family"]
    label = {"New Business": "新規", "Renewal": "更新", "Existing Business - Upsell": "アップセル",
             "Existing Business - Cross-sell": "クロスセル"}
    name = np.array([f"{comp.name[c]} {FAMILIES[f]} {label[t]}" for c, f, t in
                     zip(company.tolist(), first_family.tolist(), typ.tolist(), strict=True)],
                    dtype=object)
    amount_txt = amount.astype(str).astype(object)
    commas = pick_rows(rng, np.flatnonzero(amount >= 1000), 0.02)
    amount_txt[commas] = [f"{int(a):,}" for a in amount[commas]]
    close_day = jst_day(close)
    close_txt = fmt_date(close_day).to_numpy(zero_copy_only=False).astype(object)
    slash = pick_rows(rng, np.arange(n), 0.0, minimum=3)
    close_txt[slash] = [str(x).replace("-", "/") for x in close_txt[slash]]
    cols = {
        "id": opp_ids, "is_deleted": np.zeros(n, bool), "account_id": d["acc_ids"][account],
        "contact_id": np.where(contact >= 0, d["con_ids"][np.maximum(contact, 0)], None),
        "name": name, "type": typ, "stage_name": stage, "amount": amount_txt,
        "probability": prob, "is_closed": closed, "is_won": closed & won,
        "close_date": close_txt, "lead_source": source, "owner_id": users["id"][owner],
        "business_unit__c": BU[bu], "created_date": fmt_ts(created),
        "_fivetran_synced": fmt_ts(w.synced(rng, n, np.minimum(close, w.cutoff))),
    }
    cols = {c: np.asarray(v.to_numpy(zero_copy_only=False) if hasattr(v, "to_numpy") else v,
                          dtype=object) for c, v in cols.items()}
    rows = {c: v[order] for c, v in cols.items()}
    # extra rows: soft-deleted junk copies and the unusable rows staging must quarantine
    extra_src = []
    junk = pick_rows(rng, np.arange(n), 0.015)
    extra_src += [("deleted", j) for j in junk]
    for kind, count in (("close_date_before_created_date", 2), ("unknown_stage_name", 2),
                        ("unparseable_amount", 1)):
        assert QUARANTINE_COUNTS[(kind, "salesforce.opportunity")] == count
        extra_src += [(kind, j) for j in rng.choice(n, count, replace=False)]
    extra_ids = sf_ids("006", n, len(extra_src))
    ext = {c: [] for c in cols}
    for (kind, j), new_id in zip(extra_src, extra_ids, strict=True):
        row = {c: cols[c][j] for c in cols}
        row["id"] = new_id
        if kind == "deleted":
            row["is_deleted"] = "true"
            row["name"] = f"{row['name']} (重複)"
        elif kind == "close_date_before_created_date":
            row["close_date"] = fmt_date(np.array([jst_day(created[j]) - 30])).to_pylist()[0]
        elif kind == "unknown_stage_name":
            # a stage no stage master knows, exported without IsClosed / IsWon: nothing says
            # whether the deal is open, won or lost
            row["stage_name"] = "Closed Maybe"
            row["is_closed"] = ""
            row["is_won"] = ""
        else:
            row["amount"] = "TBD"
        if kind != "deleted":
            w.defects.add(kind, "salesforce.opportunity", 1, "quarantine")
        for c in cols:
            ext[c].append(row[c])
    w.defects.add("soft_deleted", "salesforce.opportunity", len(junk))
    s = _sink(w, "opportunity")
    total = n + len(extra_src)
    final = {c: np.concatenate([rows[c], np.array(ext[c], dtype=object)]).astype(object)
             if len(ext[c]) else rows[c] for c in cols}
    count_written(w.defects, "salesforce.opportunity", final["amount"], "amount")
    count_written(w.defects, "salesforce.opportunity", final["close_date"], "date")
    s.write_columns(final, total)
    _done(w, s)
    # line items
    li_opp = np.concatenate([nb["lines"][:, 0], k + np.arange(m)]) if k else k + np.arange(m)
    li_prod = np.concatenate([nb["lines"][:, 1], eb["product"]])
    li_qty = np.concatenate([nb["lines"][:, 2], np.ones(m, np.int64)])
    li_price = np.concatenate([nb["lines"][:, 3], eb["amount"]])
    li_order = np.lexsort((li_prod, created[li_opp]))
    nl = len(li_opp)
    li_created = created[li_opp] + 120
    junk = pick_rows(rng, np.arange(nl), 0.015)
    idx = np.concatenate([li_order, junk])
    deleted = np.concatenate([np.zeros(nl, bool), np.ones(len(junk), bool)])
    w.defects.add("soft_deleted", "salesforce.opportunity_line_item", len(junk))
    s = _sink(w, "opportunity_line_item")
    s.write_columns({
        "id": np.array(sf_ids("00k", 0, len(idx)), dtype=object), "is_deleted": deleted,
        "opportunity_id": opp_ids[li_opp[idx]], "product_2_id": product_ids[li_prod[idx]],
        "quantity": li_qty[idx], "unit_price": li_price[idx],
        "total_price": li_qty[idx] * li_price[idx], "created_date": fmt_ts(li_created[idx]),
        "_fivetran_synced": fmt_ts(w.synced(rng, len(idx), li_created[idx])),
    }, len(idx))
    _done(w, s)


def _write_leads(w: World, rng: np.random.Generator) -> None:
    d = w.data
    leads: Leads = d["leads"]
    people: ppl.People = d["people"]
    comp: ppl.Companies = d["companies"]
    hs_email = d["hs_contact_email"]
    n = len(leads.person)
    order = np.argsort(leads.created, kind="stable")
    ids = d["lead_ids"]
    email = people.email[leads.person].copy()
    hs = leads.hs_index >= 0
    email[hs] = hs_email[leads.hs_index[hs]]
    var = (rng.random(n) < 0.05) & ~leads.is_dup
    email[var] = retype_emails(rng, people.email[leads.person[var]])
    email[leads.is_dup] = retype_emails(rng, people.email[leads.person[leads.is_dup]])
    c = people.company[leads.person]
    company = render_company_names(rng, comp.name[c], comp.is_kana[c], comp.legal_prefix[c], 0.45)
    deleted = np.zeros(n, bool)
    deleted[pick_rows(rng, np.flatnonzero(leads.status == "Unqualified"),
                      0.015 * n / max(int((leads.status == "Unqualified").sum()), 1))] = True
    opp_of_lead = np.full(n, -1)
    k = d["opp_count_nb"]
    nb = d["nb"]
    first = {}
    for oi, li in enumerate(nb["lead"].tolist()):
        first.setdefault(li, oi)
    for li, oi in first.items():
        opp_of_lead[li] = oi
    conv = leads.converted
    last_mod = np.maximum.reduce([leads.created, leads.first_touch, leads.disposition])
    last_mod = np.minimum(last_mod + 300, w.cutoff - 1)
    users = d["users"]
    cols = {
        "id": ids, "is_deleted": deleted,
        "first_name": ppl.given_names(people.given[leads.person]),
        "last_name": ppl.family_names(people.family[leads.person]),
        "email": email, "phone": np.where(rng.random(n) < 0.8, people.phone[leads.person], None),
        "company": company, "title": np.array(ppl.JOB_TITLES, dtype=object)[people.title[leads.person]],
        "industry": np.where(rng.random(n) < 0.7, INDUSTRY[comp.industry[c]], None),
        "number_of_employees": np.where(rng.random(n) < 0.6, comp.employees[c].astype(object), None),
        "website": np.where(rng.random(n) < 0.6, comp.domain[c], None),
        "lead_source": leads.source, "status": leads.status, "is_converted": conv,
        "converted_date": fmt_date(jst_day(leads.conv_time), conv),
        "converted_account_id": np.where(conv, d["acc_ids"][np.maximum(d["lead_account"], 0)], None),
        "converted_contact_id": np.where(conv, d["con_ids"][np.maximum(d["lead_contact"], 0)], None),
        "converted_opportunity_id": np.where(
            opp_of_lead >= 0, d["opp_ids"][np.maximum(opp_of_lead, 0)], None),
        "owner_id": users["id"][leads.owner], "business_unit__c": BU[leads.bu],
        "created_date": fmt_ts(leads.created), "last_modified_date": fmt_ts(last_mod),
        "_fivetran_synced": fmt_ts(w.synced(rng, n, last_mod)),
    }
    assert k >= 0
    cols = {c2: np.asarray(v.to_numpy(zero_copy_only=False) if hasattr(v, "to_numpy") else v,
                           dtype=object) for c2, v in cols.items()}
    rows = {c2: v[order] for c2, v in cols.items()}
    # unusable: leads exported without an id
    n_missing = QUARANTINE_COUNTS[("missing_id", "salesforce.lead")]
    src = rng.choice(n, n_missing, replace=False)
    for c2 in cols:
        extra = cols[c2][src].copy()
        if c2 == "id":
            extra[:] = None
        rows[c2] = np.concatenate([rows[c2], extra])
    w.defects.add("missing_id", "salesforce.lead", n_missing, "quarantine")
    count_written(w.defects, "salesforce.lead", rows["email"], "email")
    count_written(w.defects, "salesforce.lead", rows["company"], "company_name")
    w.defects.add("soft_deleted", "salesforce.lead",
                  sum(1 for x in rows["is_deleted"].tolist() if x is True or x == "true"))
    s = _sink(w, "lead")
    s.write_columns(rows, n + n_missing)
    _done(w, s)
    d["gt_person"].append(("salesforce", "lead", ids, leads.person))


SUBJECTS = {"Call": ["初回架電", "フォローアップ架電", "日程調整の架電"],
            "Email": ["資料送付メール", "日程調整メール", "フォローアップメール"],
            "Meeting": ["オンライン商談", "提案ミーティング", "デモ実施"]}


def _write_tasks(w: World, rng: np.random.Generator) -> None:
    d = w.data
    cal = w.calendar
    leads: Leads = d["leads"]
    users = d["users"]
    touched = np.flatnonzero(leads.first_touch >= 0)
    # first touch + follow-ups until the lead was converted / disqualified
    n_follow = np.minimum(rng.poisson(1.8, len(touched)), 6)
    who = np.repeat(touched, 1 + n_follow)
    step = np.concatenate([[0] + [1] * f for f in n_follow.tolist()]) if len(touched) else np.array([], int)
    gaps = np.where(step == 0, 0, rng.integers(10 * HOUR, 50 * HOUR, len(who)))
    base = leads.first_touch[who]
    # cumulative working-time offsets per lead
    cum = np.cumsum(gaps)
    starts = np.repeat(np.cumsum(np.concatenate([[0], 1 + n_follow[:-1]])), 1 + n_follow)
    first_cum = cum[starts]
    t = cal.add_working_seconds(base, cum - first_cum)
    t = np.where(step == 0, base, t)
    end = np.where(leads.disposition[who] >= 0, leads.disposition[who], w.cutoff)
    keep = (t < w.cutoff) & ((step == 0) | (t <= end))
    who, t, step = who[keep], t[keep], step[keep]
    lt_type = np.where(rng.random(len(who)) < 0.7, "Call", "Email").astype(object)
    lt_owner = leads.owner[who]
    lt_who = d["lead_ids"][who]
    lt_what = np.full(len(who), None, dtype=object)
    # field-sales meetings on opportunities
    opp_created = d["opp_created"]
    n_opp = len(opp_created)
    n_meet = rng.integers(1, 4, n_opp)
    o = np.repeat(np.arange(n_opp), n_meet)
    span = np.maximum(np.minimum(d["opp_close"][o], w.cutoff) - opp_created[o], HOUR)
    mt = cal.add_working_seconds(opp_created[o] + (rng.random(len(o)) * span).astype(np.int64), 0)
    okm = (mt < w.cutoff) & (d["opp_contact"][o] >= 0)
    o, mt = o[okm], mt[okm]
    # planned next steps (not started yet) for open leads
    open_leads = np.flatnonzero((leads.status == "Working") & (leads.first_touch >= 0))
    planned = cal.add_working_seconds(np.full(len(open_leads), w.cutoff), rng.integers(
        HOUR, 30 * HOUR, len(open_leads)))
    t_all = np.concatenate([t, mt, planned])
    typ = np.concatenate([lt_type, np.full(len(o), "Meeting", dtype=object),
                          np.full(len(open_leads), "Call", dtype=object)])
    who_id = np.concatenate([lt_who, d["con_ids"][d["opp_contact"][o]], d["lead_ids"][open_leads]])
    what_id = np.concatenate([lt_what, d["opp_ids"][o], np.full(len(open_leads), None, dtype=object)])
    owner = np.concatenate([lt_owner, d["opp_owner"][o], leads.owner[open_leads]])
    status = np.concatenate([np.full(len(t) + len(o), "Completed", dtype=object),
                             np.full(len(open_leads), "Not Started", dtype=object)])
    logged = np.concatenate([t + rng.integers(60, 900, len(t)), mt + rng.integers(600, 3 * HOUR, len(o)),
                             w.cutoff - rng.integers(HOUR, 8 * HOUR, len(open_leads))])
    logged = np.minimum(logged, w.cutoff - 1)
    is_first = np.concatenate([step == 0, np.zeros(len(o) + len(open_leads), bool)])
    subj_pick = rng.integers(0, 3, len(typ))
    subject = np.array([SUBJECTS[x][0 if f else 1 + p % 2] if x != "Meeting" else SUBJECTS[x][p]
                        for x, p, f in zip(typ.tolist(), subj_pick.tolist(), is_first.tolist(),
                                           strict=True)], dtype=object)
    n = len(t_all)
    order = np.argsort(logged, kind="stable")
    deleted = np.zeros(n, bool)
    deleted[pick_rows(rng, np.flatnonzero(~is_first & (status == "Completed")), 0.015)] = True
    w.defects.add("soft_deleted", "salesforce.task", int(deleted.sum()))
    s = _sink(w, "task")
    s.write_columns({
        "id": np.array(sf_ids("00T", 0, n), dtype=object),
        "is_deleted": deleted[order], "who_id": who_id[order], "what_id": what_id[order],
        "owner_id": users["id"][owner[order]], "subject": subject[order], "type": typ[order],
        "status": status[order], "activity_date": fmt_date(jst_day(t_all[order])),
        "created_date": fmt_ts(logged[order]),
        "_fivetran_synced": fmt_ts(w.synced(rng, n, logged[order])),
    }, n)
    _done(w, s)


def fullwidth_amount(a: int) -> str:
    return fullwidth_digits(str(a))


def slash_date(day: int) -> str:
    return str(np.datetime64(int(day), "D")).replace("-", "/")


__all__ = ["JST_OFFSET", "write_salesforce"]

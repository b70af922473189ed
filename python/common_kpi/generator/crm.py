"""CRM: customers (one per company and business unit), contract terms and NPS answers.

Contract story: an installed base of customers whose contracts started before April 2024,
plus customers won from new-business opportunities. Each (customer, product line) is a chain
of terms, 12 months mostly (10 % of renewals for 24 months). At each term end the chain renews
(95 %, the day after the old term ends, 12 % of them a few weeks late) or churns (5 %). During
a term an upsell (~11 % per chain-year, co-termed with the current term, the increment carried
into the next renewal) may happen; once a fiscal year ~10 % of active customers cross-sell a
product line they do not have yet. The installed base's contract values are calibrated so that
FY2026 recognised revenue (amount ÷ term months, per month) is ≈ ¥1,000,000,000 × scale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from common_kpi.generator.sales import FAMILIES, FAMILY_BU, FAMILY_MAIN_PRODUCT
from common_kpi.generator.timeutil import DAY, HOUR, JST_OFFSET, add_months, day_number
from common_kpi.generator.world import World

TARGET_FY2026_REVENUE = 1_000_000_000
P_RENEW = 0.95
P_UPSELL_PER_TERM_YEAR = 0.11
P_CROSS_SELL_PER_FY = 0.10
IB_CUSTOMERS = 360
NPS_COMMENTS = {
    "promoter": ["サポートが丁寧で助かっています", "ダッシュボードで会議が早くなった",
                 "他部署にも勧めたい", "導入がスムーズだった", None],
    "passive": ["概ね満足", "もう少し動作が速いと良い", "価格が少し高い", None, None],
    "detractor": ["問い合わせの回答が遅い", "使いこなせていない", "レポートの自由度が低い",
                  "障害が多かった", None],
}


@dataclass
class Term:
    chain: int
    customer: int
    family: int
    start: int
    end: int
    amount: int
    kind: str          # new / renewal / upsell / cross_sell
    prev: int          # index of the term it follows (-1)
    opp: int           # index of the new-business opportunity (-1)
    created: int       # UTC seconds
    ib: bool


@dataclass
class ContractBook:
    terms: list[Term] = field(default_factory=list)
    churns: list[tuple[int, int, int]] = field(default_factory=list)  # (term, end day, chain)


def fy_bounds(fy: int) -> tuple[int, int]:
    return day_number(dt.date(fy, 4, 1)), day_number(dt.date(fy + 1, 3, 31))


def term_months(start: int, end: int) -> int:
    return max(1, round((end - start + 1) / 30.4375))


def recognised_by_month(starts: np.ndarray, ends: np.ndarray, amounts: np.ndarray
                        ) -> dict[int, float]:
    """amount ÷ term months, for each of the term's months (from the start month)."""
    out: dict[int, float] = {}
    for s, e, a in zip(starts.tolist(), ends.tolist(), amounts.tolist(), strict=True):
        months = term_months(s, e)
        d = np.datetime64(s, "D").astype("datetime64[M]")
        for k in range(months):
            key = int((d + k).astype("datetime64[D]").astype(np.int64))
            out[key] = out.get(key, 0.0) + a / months
    return out


def simulate(w: World) -> None:
    d = w.data
    rng = w.rng("crm.contracts")
    cal_start = w.start_day
    fy_as_of = w.cfg.as_of.year - (1 if w.cfg.as_of.month < 4 else 0)
    sim_end = fy_bounds(fy_as_of)[1]
    cutoff_day = w.as_of_day
    comp = d["companies"]
    cust_key: dict[tuple[int, int], int] = {}
    cust_company: list[int] = []
    cust_bu: list[int] = []
    cust_ib: list[bool] = []
    chains: list[dict] = []
    families_of: dict[int, set[int]] = {}

    def customer(company: int, bu: int, ib: bool) -> int:
        key = (company, bu)
        if key not in cust_key:
            cust_key[key] = len(cust_company)
            cust_company.append(company)
            cust_bu.append(bu)
            cust_ib.append(ib)
        return cust_key[key]

    # installed base
    for company, bus in zip(d["ib_company"], d["ib_bus"], strict=True):
        for b in bus:
            c = customer(int(company), int(b), True)
            fams = [f for f in range(len(FAMILIES)) if FAMILY_BU[f] == b]
            k = 1 + int(rng.random() < 0.3) + int(rng.random() < 0.08)
            first = day_number(dt.date(2019, 4, 1)) + int(rng.integers(0, 5 * 365 - 30))
            for j, f in enumerate(rng.permutation(fams)[:k]):
                size = comp.employees[company] ** 0.35
                annual = int(round(np.exp(rng.normal(np.log(260_000 * size), 0.5)), -3))
                start = first + (0 if j == 0 else int(rng.integers(90, 700)))
                start = min(start, cal_start - 1)
                chains.append({"cust": c, "family": int(f), "start": start, "annual": annual,
                               "kind": "new", "opp": -1, "ib": True})
                families_of.setdefault(c, set()).add(int(f))
    # new business won
    nb = d["nb"]
    won = np.flatnonzero(nb["won"] & (nb["close"] < w.cutoff))
    won = won[np.argsort(nb["close"][won], kind="stable")]
    lines = nb["lines"]
    for oi in won:
        c = customer(int(nb["company"][oi]), int(nb["bu"][oi]), False)
        close_day = int((nb["close"][oi] + JST_OFFSET) // DAY)
        start = close_day + int(rng.integers(1, 20))
        if rng.random() < 0.5:
            start = int(add_months(np.array([close_day]), 1)[0])
            start = start - (int(np.datetime64(start, "D").astype(object).day) - 1)
        held = set(families_of.get(c, set()))
        my = lines[lines[:, 0] == oi]
        by_family: dict[int, int] = {}
        for _, prod, qty, price in my:
            f = FAMILIES.index(_family_of(int(prod)))
            by_family[f] = by_family.get(f, 0) + int(qty) * int(price)
        for f, annual in sorted(by_family.items()):
            kind = "new" if not held else ("upsell" if f in held else "cross_sell")
            chains.append({"cust": c, "family": f, "start": start, "annual": annual,
                           "kind": kind, "opp": int(oi), "ib": False,
                           "created": int(nb["close"][oi]) + int(rng.integers(HOUR, 3 * DAY))})
            families_of.setdefault(c, set()).add(f)
    book = ContractBook()
    for ci in range(len(chains)):
        _roll(w, rng, book, chains, ci, sim_end, cal_start)
    # cross-sell: once a fiscal year, active customers adding a product line
    by_cust: dict[int, list[Term]] = {}
    for t in book.terms:
        by_cust.setdefault(t.customer, []).append(t)
    for fy in range(2024, fy_as_of + 1):
        lo, hi = fy_bounds(fy)
        for c in range(len(cust_company)):
            if rng.random() >= P_CROSS_SELL_PER_FY:
                continue
            day = lo + int(rng.integers(0, hi - lo))
            if day > sim_end:
                continue
            mine = by_cust.get(c, [])
            active = [t for t in mine if t.start <= day - 60 and t.end >= day]
            held = {t.family for t in mine if t.end >= day}
            free = [f for f in range(len(FAMILIES)) if FAMILY_BU[f] == cust_bu[c] and f not in held]
            if not active or not free:
                continue
            f = int(rng.choice(free))
            size = comp.employees[cust_company[c]] ** 0.35
            annual = int(round(np.exp(rng.normal(np.log(200_000 * size), 0.5)), -3))
            chains.append({"cust": c, "family": f, "start": day, "annual": annual,
                           "kind": "cross_sell", "opp": -1, "ib": False})
            n_before = len(book.terms)
            _roll(w, rng, book, chains, len(chains) - 1, sim_end, cal_start)
            for t in book.terms[n_before:]:
                by_cust.setdefault(c, []).append(t)
    # calibrate the installed base so that FY2026 revenue ≈ target × scale
    fy_lo, fy_hi = fy_bounds(2026)
    starts = np.array([t.start for t in book.terms])
    ends = np.array([t.end for t in book.terms])
    amounts = np.array([t.amount for t in book.terms], dtype=float)
    ib = np.array([t.ib for t in book.terms])
    rev_ib = _fy_revenue(starts[ib], ends[ib], amounts[ib], fy_lo, fy_hi)
    rev_new = _fy_revenue(starts[~ib], ends[~ib], amounts[~ib], fy_lo, fy_hi)
    target = TARGET_FY2026_REVENUE * w.cfg.scale
    factor = float(np.clip((target - rev_new) / max(rev_ib, 1.0), 0.3, 3.0))
    for t in book.terms:
        if t.ib:
            t.amount = int(round(t.amount * factor, -3))
    d["ib_factor"] = factor
    d["book"] = book
    d["chains"] = chains
    d["customers"] = {"company": np.array(cust_company, dtype=np.int64),
                      "bu": np.array(cust_bu, dtype=np.int64), "ib": np.array(cust_ib)}
    d["cutoff_day"] = cutoff_day


def _family_of(prod: int) -> str:
    from common_kpi.generator.sales import PRODUCTS
    return PRODUCTS[prod][2]


def _fy_revenue(starts: np.ndarray, ends: np.ndarray, amounts: np.ndarray, lo: int, hi: int
                ) -> float:
    by_month = recognised_by_month(starts, ends, amounts)
    return float(sum(v for k, v in by_month.items() if lo <= k <= hi))


def _roll(w: World, rng: np.random.Generator, book: ContractBook, chains: list[dict], ci: int,
          sim_end: int, window_start: int) -> None:
    ch = chains[ci]
    start, annual, kind, prev = ch["start"], ch["annual"], ch["kind"], -1
    created = ch.get("created", (start - int(rng.integers(3, 20))) * DAY + 11 * HOUR - JST_OFFSET)
    months = 12
    while start <= sim_end:
        end = int(add_months(np.array([start]), months)[0]) - 1
        amount = int(round(annual * months / 12, -3))
        book.terms.append(Term(ci, ch["cust"], ch["family"], start, end, amount, kind, prev,
                               ch["opp"] if kind != "renewal" else -1, int(created), ch["ib"]))
        me = len(book.terms) - 1
        # upsell during the term, co-termed with it
        if rng.random() < P_UPSELL_PER_TERM_YEAR * months / 12 and end - start > 90:
            up_day = start + 30 + int(rng.integers(0, end - start - 60))
            inc = int(round(annual * rng.uniform(0.15, 0.5), -3))
            rem = term_months(up_day, end)
            book.terms.append(Term(ci, ch["cust"], ch["family"], up_day, end,
                                   int(round(inc * rem / 12, -3)), "upsell", me, -1,
                                   (up_day - int(rng.integers(0, 5))) * DAY + 14 * HOUR - JST_OFFSET,
                                   ch["ib"]))
            annual += inc
        # renewal or churn at term end (installed base: no churn before the window)
        if end + 1 > sim_end:
            break
        churn = rng.random() >= P_RENEW and end + 1 >= window_start
        if churn:
            book.churns.append((me, end, ci))
            break
        late = rng.random() < 0.12
        new_start = end + 1 + (int(rng.integers(7, 36)) if late else 0)
        created = (new_start - int(rng.integers(5, 30))) * DAY + 15 * HOUR - JST_OFFSET
        if rng.random() < 0.3:
            annual = int(round(annual * rng.uniform(1.0, 1.05), -3))
        months = 24 if rng.random() < 0.1 else 12
        start, kind, prev = new_start, "renewal", me


def existing_business(w: World) -> None:
    """Renewal / upsell / cross-sell opportunities behind the contract terms (and lost ones)."""
    d = w.data
    rng = w.rng("crm.opps")
    book: ContractBook = d["book"]
    cust = d["customers"]
    rows = []  # (customer, family, type, created, close, won, amount, term)
    for i, t in enumerate(book.terms):
        if t.start < w.start_day or t.created >= w.cutoff:
            continue
        if t.kind == "renewal":
            close_day = t.start - int(rng.integers(0, 20))
            created = (close_day - int(rng.integers(30, 75))) * DAY + 10 * HOUR - JST_OFFSET
            rows.append((t.customer, t.family, "Renewal", created, close_day, True, t.amount, i))
        elif t.kind in ("upsell", "cross_sell") and t.opp < 0:
            close_day = t.start - int(rng.integers(0, 7))
            created = (close_day - int(rng.integers(20, 60))) * DAY + 10 * HOUR - JST_OFFSET
            typ = "Existing Business - Upsell" if t.kind == "upsell" else "Existing Business - Cross-sell"
            rows.append((t.customer, t.family, typ, created, close_day, True, t.amount, i))
    for ti, end, _ in book.churns:
        created = (end - int(rng.integers(45, 75))) * DAY + 10 * HOUR - JST_OFFSET
        if end < w.start_day or created >= w.cutoff:
            continue
        t = book.terms[ti]
        rows.append((t.customer, t.family, "Renewal", created, end, False, t.amount, -1))
    # lost upsell and cross-sell attempts
    n_up = sum(1 for r in rows if r[2] != "Renewal")
    n_lost = round(n_up * 0.7)
    active = [t for t in book.terms if t.start >= w.start_day - 365 and t.created < w.cutoff]
    for _ in range(n_lost):
        t = active[int(rng.integers(0, len(active)))]
        lo = max(t.start, w.start_day)
        if t.end - lo < 60:
            continue
        close_day = lo + int(rng.integers(30, t.end - lo))
        created = (close_day - int(rng.integers(20, 60))) * DAY + 10 * HOUR - JST_OFFSET
        typ = "Existing Business - Upsell" if rng.random() < 0.55 else "Existing Business - Cross-sell"
        fam = t.family
        if typ.endswith("Cross-sell"):
            fams = [f for f in range(len(FAMILIES)) if FAMILY_BU[f] == FAMILY_BU[t.family]
                    and f != t.family]
            fam = int(rng.choice(fams))
        amount = int(round(t.amount * rng.uniform(0.2, 0.6), -3))
        rows.append((t.customer, fam, typ, created, close_day, False, amount, -1))
    rows = [r for r in rows if r[3] < w.cutoff]
    n = len(rows)
    arr = list(zip(*rows, strict=True)) if rows else [[]] * 8
    customer = np.array(arr[0], dtype=np.int64)
    close_day = np.array(arr[4], dtype=np.int64)
    close_t = close_day * DAY + 17 * HOUR - JST_OFFSET
    d["eb"] = {
        "customer": customer,
        "company": cust["company"][customer],
        "bu": cust["bu"][customer],
        "family": np.array(arr[1], dtype=np.int64),
        "type": np.array(arr[2], dtype=object),
        "created": np.array(arr[3], dtype=np.int64),
        "close": close_t,
        "won": np.array(arr[5], dtype=bool),
        "amount": np.array(arr[6], dtype=np.int64),
        "term": np.array(arr[7], dtype=np.int64),
        "product": FAMILY_MAIN_PRODUCT[np.array(arr[1], dtype=np.int64)] if n else np.array([], int),
    }


def write_crm(w: World) -> None:
    """customers, contracts and nps_responses, with their counted defects."""
    from common_kpi.generator import people as ppl
    from common_kpi.generator.messiness import (
        QUARANTINE_COUNTS,
        amount_variants,
        count_written,
        render_company_names,
        render_corporate_numbers,
    )
    from common_kpi.generator.timeutil import fmt_date, fmt_ts
    from common_kpi.generator.world import BUSINESS_UNITS
    from common_kpi.generator.writer import TableSink

    d = w.data
    rng = w.rng("crm.tables")
    comp: ppl.Companies = d["companies"]
    book: ContractBook = d["book"]
    cust = d["customers"]
    exported = w.cutoff + 2 * HOUR + 1800  # nightly export, UTC
    terms = [t for t in book.terms if t.created < w.cutoff]
    n_cust = len(cust["company"])
    first_created = np.full(n_cust, np.iinfo(np.int64).max)
    last_created = np.zeros(n_cust, dtype=np.int64)
    for t in terms:
        first_created[t.customer] = min(first_created[t.customer], t.created)
        last_created[t.customer] = max(last_created[t.customer], t.created)
    has = first_created < np.iinfo(np.int64).max
    cidx = np.flatnonzero(has)
    cidx = cidx[np.argsort(first_created[cidx], kind="stable")]
    cust_id = np.full(n_cust, None, dtype=object)
    cust_id[cidx] = [f"C{100001 + i}" for i in range(len(cidx))]
    d["crm_customer_id"] = cust_id
    company = cust["company"][cidx]
    acc_of = d["acc_of"]
    sfdc = np.array([d["acc_ids"][acc_of[int(c)]] if int(c) in acc_of and rng.random() < 0.92
                     else None for c in company], dtype=object)
    names = render_company_names(rng, comp.name[company], comp.is_kana[company],
                                 comp.legal_prefix[company], 0.3)
    corp = render_corporate_numbers(rng, comp.corporate_number[company], 0.04)
    nc = len(cidx)
    cols = {
        "customer_id": cust_id[cidx], "corporate_number": corp, "customer_name": names,
        "domain": comp.domain[company], "industry": np.array(ppl.INDUSTRIES, dtype=object)[
            comp.industry[company]],
        "employee_count": comp.employees[company].astype(object),
        "business_unit": np.array(BUSINESS_UNITS, dtype=object)[cust["bu"][cidx]],
        "sfdc_account_id": sfdc, "is_deleted": np.full(nc, "false", dtype=object),
        "created_at": np.asarray(fmt_ts(first_created[cidx]).to_pylist(), dtype=object),
        "updated_at": np.asarray(fmt_ts(last_created[cidx]).to_pylist(), dtype=object),
        "exported_at": np.full(nc, fmt_ts(np.array([exported])).to_pylist()[0], dtype=object),
    }
    # deleted junk copies (a customer registered twice, the copy deleted)
    junk = pick_rows_local(rng, nc, 0.015)
    junk_rows = {c: v[junk].copy() for c, v in cols.items()}
    junk_rows["customer_id"] = np.array([f"C{900001 + i}" for i in range(len(junk))], dtype=object)
    junk_rows["is_deleted"][:] = "true"
    w.defects.add("soft_deleted", "crm.customers", len(junk))
    rows = {c: np.concatenate([cols[c], junk_rows[c]]) for c in cols}
    gt_company = np.concatenate([company, company[junk]])
    count_written(w.defects, "crm.customers", rows["customer_name"], "company_name")
    count_written(w.defects, "crm.customers", rows["corporate_number"], "corporate_number")
    # export repeats: a few rows written twice
    rep = np.sort(rng.choice(len(rows["customer_id"]), max(2, round(nc * 0.003)), replace=False))
    take = np.sort(np.concatenate([np.arange(len(rows["customer_id"])), rep]))
    w.defects.add("exact_duplicate_row", "crm.customers", len(rep))
    sink = TableSink(w.cfg.out, "crm", "customers", w.cfg.fmt)
    sink.write_columns({c: v[take] for c, v in rows.items()}, len(take))
    sink.close()
    d["row_counts"]["crm.customers"] = sink.rows
    d["gt_company"].append(("crm", "customers", rows["customer_id"], gt_company))

    # contracts
    terms_sorted = sorted(range(len(book.terms)), key=lambda i: (book.terms[i].created, i))
    emitted = [i for i in terms_sorted if book.terms[i].created < w.cutoff]
    contract_id = {ti: f"K{1000001 + k}" for k, ti in enumerate(emitted)}
    opp_ids = d["opp_ids"]
    eb_term_opp = {int(t): d["opp_count_nb"] + j for j, t in enumerate(d["eb"]["term"]) if t >= 0}
    n = len(emitted)
    ct = [book.terms[i] for i in emitted]
    known = rng.random(n)
    sfdc_opp = []
    for k, (ti, t) in enumerate(zip(emitted, ct, strict=True)):
        oi = t.opp if t.opp >= 0 else eb_term_opp.get(ti, -1)
        rate = {"new": 0.95, "renewal": 0.75}.get(t.kind, 0.9)
        sfdc_opp.append(opp_ids[oi] if oi >= 0 and known[k] < rate else None)
    start = np.array([t.start for t in ct], dtype=np.int64)
    end = np.array([t.end for t in ct], dtype=np.int64)
    amount = np.array([t.amount for t in ct], dtype=np.int64)
    start_txt = np.asarray(fmt_date(start).to_pylist(), dtype=object)
    slash = np.sort(rng.choice(n, 3, replace=False))
    start_txt[slash] = [s.replace("-", "/") for s in start_txt[slash]]
    ccols = {
        "contract_id": np.array([contract_id[i] for i in emitted], dtype=object),
        "customer_id": cust_id[np.array([t.customer for t in ct], dtype=np.int64)],
        "product_line": np.array([FAMILIES[t.family] for t in ct], dtype=object),
        "contract_type": np.array([t.kind for t in ct], dtype=object),
        "previous_contract_id": np.array([contract_id.get(t.prev) if t.prev >= 0 else None
                                          for t in ct], dtype=object),
        "sfdc_opportunity_id": np.array(sfdc_opp, dtype=object),
        "start_date": start_txt,
        "end_date": np.asarray(fmt_date(end).to_pylist(), dtype=object),
        "amount_jpy": amount_variants(rng, amount, 0.03, 0.01),
        "is_deleted": np.full(n, "false", dtype=object),
        "created_at": np.asarray(fmt_ts(np.array([t.created for t in ct])).to_pylist(), dtype=object),
        "exported_at": np.full(n, cols["exported_at"][0], dtype=object),
    }
    extra_kinds = (["deleted"] * max(1, round(n * 0.01))
                   + ["end_date_before_start_date"] * QUARANTINE_COUNTS[
                       ("end_date_before_start_date", "crm.contracts")]
                   + ["unparseable_amount"] * QUARANTINE_COUNTS[("unparseable_amount", "crm.contracts")])
    src = rng.choice(n, len(extra_kinds), replace=False)
    ext = {c: v[src].copy() for c, v in ccols.items()}
    ext["contract_id"] = np.array([f"K{9000001 + i}" for i in range(len(src))], dtype=object)
    for j, kind in enumerate(extra_kinds):
        if kind == "deleted":
            ext["is_deleted"][j] = "true"
        elif kind == "end_date_before_start_date":
            ext["end_date"][j] = fmt_date(np.array([start[src[j]] - 40])).to_pylist()[0]
            ext["start_date"][j] = fmt_date(np.array([start[src[j]]])).to_pylist()[0]
            w.defects.add(kind, "crm.contracts", 1, "quarantine")
        else:
            ext["amount_jpy"][j] = "TBD"
            w.defects.add(kind, "crm.contracts", 1, "quarantine")
    w.defects.add("soft_deleted", "crm.contracts", extra_kinds.count("deleted"))
    rows = {c: np.concatenate([ccols[c], ext[c]]) for c in ccols}
    count_written(w.defects, "crm.contracts", rows["amount_jpy"], "amount")
    count_written(w.defects, "crm.contracts", rows["start_date"], "date")
    total = len(rows["contract_id"])
    rep = np.sort(rng.choice(n, max(3, round(n * 0.002)), replace=False))
    take = np.sort(np.concatenate([np.arange(total), rep]))
    w.defects.add("exact_duplicate_row", "crm.contracts", len(rep))
    sink = TableSink(w.cfg.out, "crm", "contracts", w.cfg.fmt)
    sink.write_columns({c: v[take] for c, v in rows.items()}, len(take))
    sink.close()
    d["row_counts"]["crm.contracts"] = sink.rows
    d["contracts_emitted"] = (ct, exported)
    _write_nps(w, rng, cust_id, exported)


def pick_rows_local(rng: np.random.Generator, n: int, rate: float) -> np.ndarray:
    if n == 0:
        return np.array([], dtype=np.int64)
    return np.sort(rng.choice(n, max(1, round(n * rate)), replace=False))


def _write_nps(w: World, rng: np.random.Generator, cust_id: np.ndarray, exported: int) -> None:
    from common_kpi.generator.messiness import QUARANTINE_COUNTS, count_written, retype_emails
    from common_kpi.generator.timeutil import fmt_ts
    from common_kpi.generator.writer import TableSink

    d = w.data
    book: ContractBook = d["book"]
    cust = d["customers"]
    con = d["con"]
    people = d["people"]
    acc_of = d["acc_of"]
    contacts_of: dict[int, list[int]] = {}
    for i, a in enumerate(con["account"].tolist()):
        if con["created"][i] < w.cutoff:
            contacts_of.setdefault(a, []).append(i)
    waves = []
    for y in range(2024, w.cfg.as_of.year + 1):
        for m, label in ((5, "5月"), (9, "9月"), (1, "1月")):
            yy = y + 1 if m == 1 else y
            day = day_number(dt.date(yy, m, 10))
            if w.start_day <= day and day + 21 < w.as_of_day:
                waves.append((day, f"{yy}年{label} 顧客満足度調査"))
    waves.sort()
    active_by_cust: dict[int, list[Term]] = {}
    for t in book.terms:
        if t.created < w.cutoff:
            active_by_cust.setdefault(t.customer, []).append(t)
    rows = []  # (customer, contact, name, score, time)
    for day, name in waves:
        for c, ts in active_by_cust.items():
            if not any(t.start <= day <= t.end for t in ts):
                continue
            a = acc_of.get(int(cust["company"][c]))
            for ci in contacts_of.get(a, []) if a is not None else []:
                if rng.random() < 0.35:
                    r = rng.random()
                    score = (int(rng.choice([9, 10], p=[0.45, 0.55])) if r < 0.50 else
                             int(rng.choice([7, 8])) if r < 0.85 else
                             int(rng.choice(np.arange(7), p=[0.03, 0.03, 0.06, 0.1, 0.13, 0.25, 0.4])))
                    t = w.calendar.random_working_times(rng, day, day + 14, 1)[0]
                    rows.append((c, ci, name, score, int(t)))
    n = len(rows)
    customer = np.array([r[0] for r in rows], dtype=np.int64)
    contact = np.array([r[1] for r in rows], dtype=np.int64)
    score = np.array([r[3] for r in rows], dtype=np.int64)
    responded = np.array([r[4] for r in rows], dtype=np.int64)
    email = people.email[con["person"][contact]].copy() if n else np.array([], dtype=object)
    var = rng.random(n) < 0.03
    email[var] = retype_emails(rng, email[var])
    kind = np.where(score >= 9, "promoter", np.where(score >= 7, "passive", "detractor"))
    comment = np.array([NPS_COMMENTS[k][int(rng.integers(0, 5))] for k in kind], dtype=object)
    order = np.argsort(responded, kind="stable")
    score_txt = score.astype(str).astype(object)
    bad = QUARANTINE_COUNTS[("nps_score_out_of_range", "crm.nps_responses")]
    src = rng.choice(n, bad, replace=False)
    w.defects.add("nps_score_out_of_range", "crm.nps_responses", bad, "quarantine")
    idx = np.concatenate([order, src])
    score_out = score_txt[idx].copy()
    score_out[n:] = "11"
    count_written(w.defects, "crm.nps_responses", email[idx], "email")
    sink = TableSink(w.cfg.out, "crm", "nps_responses", w.cfg.fmt)
    sink.write_columns({
        "response_id": np.array([f"R{500001 + i}" for i in range(len(idx))], dtype=object),
        "customer_id": cust_id[customer[idx]], "respondent_email": email[idx],
        "survey_name": np.array([rows[i][2] for i in idx], dtype=object), "score": score_out,
        "comment": comment[idx], "responded_at": fmt_ts(responded[idx]),
        "exported_at": fmt_ts(np.full(len(idx), exported)),
    }, len(idx))
    sink.close()
    d["row_counts"]["crm.nps_responses"] = sink.rows

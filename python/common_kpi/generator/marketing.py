"""HubSpot (MA): who the contacts are, when they became MQLs, and the raw tables
contact, company, contact_form_submission and email_event (the last two written in chunks).

Volumes at scale 1: ~20,000 contacts (2 % of them duplicates of a person already present),
~200 MQLs a month, ~9-10 marketing emails received per contact (≈ 22 events per contact
with SENT / DELIVERED / OPEN / CLICK / BOUNCE / UNSUBSCRIBED) and ~1.8 form submissions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from common_kpi.generator import people as ppl
from common_kpi.generator.messiness import (
    count_written,
    pick_rows,
    render_company_names,
    render_corporate_numbers,
    retype_emails,
)
from common_kpi.generator.timeutil import DAY, HOUR, fmt_ts, jst_day, month_start, web_times
from common_kpi.generator.world import BUSINESS_UNITS, SAAS, World
from common_kpi.generator.writer import TableSink

MQL_PER_MONTH = 195
CONTACTS_TOTAL = 20_000
DUPLICATE_CONTACT_RATE = 0.02
ANALYTICS_SOURCES = np.array([
    "ORGANIC_SEARCH", "PAID_SEARCH", "EMAIL_MARKETING", "SOCIAL_MEDIA", "REFERRALS",
    "OTHER_CAMPAIGNS", "DIRECT_TRAFFIC", "OFFLINE", "PAID_SOCIAL"], dtype=object)
SOURCE_WEIGHTS = np.array([0.28, 0.17, 0.08, 0.06, 0.07, 0.08, 0.12, 0.08, 0.06])

# (form_id, title, path, kind); kind 0 = download, 1 = inquiry, 2 = webinar
FORMS = [
    ("f-dl-crm", "資料ダウンロード: CRM Suite 製品資料", "/download/crm-suite", 0, SAAS),
    ("f-dl-ma", "資料ダウンロード: MA Cloud 導入事例集", "/download/ma-cloud-cases", 0, SAAS),
    ("f-dl-bi", "資料ダウンロード: Analytics ホワイトペーパー", "/download/analytics-wp", 0, SAAS),
    ("f-inq-saas", "お問い合わせ", "/contact", 1, SAAS),
    ("f-web-saas", "ウェビナー申込: 営業DX最前線", "/webinar/sales-dx", 2, SAAS),
    ("f-dl-cns", "資料ダウンロード: KPI設計コンサルティング概要", "/download/kpi-consulting", 0, 1),
    ("f-inq-cns", "お問い合わせ", "/contact", 1, 1),
    ("f-web-cns", "ウェビナー申込: 共通KPI設計セミナー", "/webinar/common-kpi", 2, 1),
]
SITES = ["https://saas.common-kpi.co.jp", "https://consulting.common-kpi.co.jp"]
EVENT_TYPES = np.array(["SENT", "DELIVERED", "OPEN", "CLICK", "BOUNCE", "UNSUBSCRIBED"], dtype=object)
CHUNK = 20_000


@dataclass
class ContactPlan:
    """HubSpot persons (index i = person i): MQLs first, then the others."""
    n_mql: int
    bu: np.ndarray
    company: np.ndarray
    created: np.ndarray
    mql_time: np.ndarray        # true MQL moment (-1 if never)

    def __len__(self) -> int:
        return len(self.bu)


CompanyPicker = Callable[[np.random.Generator, np.ndarray, np.ndarray], np.ndarray]


def plan_contacts(w: World, pick_company: CompanyPicker) -> ContactPlan:
    rng = w.rng("marketing.plan")
    months = np.arange(month_start(np.array([w.start_day]))[0], w.as_of_day)
    month_firsts = np.unique(month_start(months))
    counts = []
    for k, m in enumerate(month_firsts):
        month_end = min(int(month_start(np.array([m + 31]))[0]), w.as_of_day)
        frac = (month_end - m) / 30.4
        season = 1.0 + 0.08 * np.sin(2 * np.pi * (k + 1) / 12) + 0.002 * k
        counts.append(rng.poisson(MQL_PER_MONTH * w.cfg.scale * frac * season))
    days_all = []
    for m, c in zip(month_firsts, counts, strict=True):
        month_end = min(int(month_start(np.array([m + 31]))[0]), w.as_of_day)
        d = np.arange(m, month_end)
        weight = np.where(w.calendar.is_working_day(d), 1.0, 0.3)
        days_all.append(rng.choice(d, size=c, p=weight / weight.sum()))
    mql_day = np.concatenate(days_all)
    n_mql = len(mql_day)
    mql_time = np.sort(web_times(rng, mql_day))
    mql_time = np.minimum(mql_time, w.cutoff - 60)
    lag = np.where(rng.random(n_mql) < 0.35, 0, rng.exponential(35 * DAY, n_mql)).astype(np.int64)
    created_mql = mql_time - lag
    n_total = w.n(CONTACTS_TOTAL)
    n_other = max(0, round(n_total * (1 - DUPLICATE_CONTACT_RATE)) - n_mql)
    span = w.as_of_day - w.start_day
    other_day = w.start_day + (span * rng.random(n_other) ** 0.9).astype(np.int64)
    other_day = np.where(w.calendar.is_working_day(other_day) | (rng.random(n_other) < 0.3),
                         other_day, other_day - 1)
    created_other = np.minimum(web_times(rng, other_day), w.cutoff - 60)
    created = np.concatenate([created_mql, created_other])
    bu = (rng.random(n_mql + n_other) < 0.3).astype(np.int64)
    company = pick_company(rng, bu, np.concatenate([np.ones(n_mql, bool), np.zeros(n_other, bool)]))
    mql = np.concatenate([mql_time, np.full(n_other, -1, dtype=np.int64)])
    return ContactPlan(n_mql=n_mql, bu=bu, company=company, created=created, mql_time=mql)


def write_hubspot(w: World) -> None:
    """Render and write contact, company, contact_form_submission and email_event."""
    d = w.data
    plan: ContactPlan = d["contact_plan"]
    people: ppl.People = d["people"]
    comp: ppl.Companies = d["companies"]
    rng = w.rng("marketing.contacts")
    n_hs = len(plan)
    # duplicates: the same person again (a later form fill with the email typed differently)
    n_dup = round(n_hs * DUPLICATE_CONTACT_RATE / (1 - DUPLICATE_CONTACT_RATE))
    dup_of = np.sort(rng.choice(n_hs, size=n_dup, replace=False))
    person = np.concatenate([np.arange(n_hs), dup_of])
    n = len(person)
    is_dup = np.arange(n) >= n_hs
    bu = plan.bu[person]
    created = np.concatenate([plan.created, plan.created[dup_of] + rng.integers(
        2 * DAY, 200 * DAY, size=n_dup)])
    created = np.minimum(created, w.cutoff - 60)
    w.defects.add("duplicate_person", "hubspot.contact", n_dup)
    email = people.email[person].copy()
    email[is_dup] = retype_emails(rng, email[is_dup])
    # ids: HubSpot vids in creation order
    order = np.argsort(created, kind="stable")
    vid = np.empty(n, dtype=np.int64)
    vid[order] = 1001 + np.arange(n) * 3 + rng.integers(0, 3, size=n)
    d["hs_contact_vid"] = vid
    d["hs_contact_person"] = person
    d["hs_contact_email"] = email
    d["hs_contact_created"] = created

    # lifecycle from the sales outcome (computed by sales.simulate)
    lc = d["hs_lifecycle"]  # dict of arrays for the first n_hs (originals)
    is_mql = np.zeros(n, bool)
    is_mql[:n_hs] = plan.mql_time >= 0
    r = rng.random(n)
    stage = np.where(r < 0.2, "subscriber", np.where(r < 0.22, "other", "lead")).astype(object)
    lead_date = np.where(stage == "subscriber", -1, created)
    mql_date = np.full(n, -1, np.int64)
    sql_date = np.full(n, -1, np.int64)
    opp_date = np.full(n, -1, np.int64)
    cust_date = np.full(n, -1, np.int64)
    mql_date[:n_hs] = lc["mql_date"]
    sql_date[:n_hs] = lc["sql_date"]
    opp_date[:n_hs] = lc["opp_date"]
    cust_date[:n_hs] = lc["customer_date"]
    stage = np.where(is_mql, "lead", stage)
    lead_date = np.where(is_mql, created, lead_date)
    stage = np.where(mql_date >= 0, "marketingqualifiedlead", stage)
    stage = np.where(sql_date >= 0, "salesqualifiedlead", stage)
    stage = np.where(opp_date >= 0, "opportunity", stage)
    stage = np.where(cust_date >= 0, np.where(r < 0.05, "evangelist", "customer"), stage)
    score = np.where(is_mql, 60 + (rng.beta(2, 3, n) * 40).astype(int),
                     (rng.beta(2, 5, n) * 60).astype(int))
    low_mql = is_mql & (mql_date >= 0) & (rng.random(n) < 0.1)
    score = np.where(low_mql, 40 + rng.integers(0, 20, n), score)
    score = np.minimum(score, 100)
    engage = rng.beta(2, 5, n) + np.where(is_mql, 0.2, 0.0)
    visits = 1 + rng.poisson(engage * 18)
    views = visits + rng.poisson(visits * 2.2)
    last_visit = created + ((w.cutoff - created) * rng.random(n) ** (1 / (1 + 4 * engage))).astype(
        np.int64)
    source = rng.choice(ANALYTICS_SOURCES, size=n, p=SOURCE_WEIGHTS)
    sf_lead = np.full(n, None, dtype=object)
    sf_lead[:n_hs] = lc["sf_lead_id"]
    # companies: one HubSpot company per (true company, business unit) with contacts
    has_company = rng.random(n) < 0.92
    key = people.company[person] * 2 + bu
    uniq, _first_idx, inv = np.unique(key, return_index=True, return_inverse=True)
    first_created = np.full(len(uniq), np.iinfo(np.int64).max)
    np.minimum.at(first_created, inv, created)
    company_hs_id = 5_000_000_001 + np.arange(len(uniq), dtype=np.int64) * 17
    assoc = np.where(has_company, company_hs_id[inv].astype(object), None)
    deleted = np.zeros(n, bool)
    cand = np.flatnonzero(~is_mql & ~is_dup)
    deleted[pick_rows(rng, cand, 0.015 * n / max(len(cand), 1))] = True
    w.defects.add("soft_deleted", "hubspot.contact", int(deleted.sum()))
    company_name = render_company_names(
        rng, comp.name[people.company[person]], comp.is_kana[people.company[person]],
        comp.legal_prefix[people.company[person]], 0.45)
    company_name[rng.random(n) < 0.05] = None
    count_written(w.defects, "hubspot.contact", email, "email")
    count_written(w.defects, "hubspot.contact", company_name, "company_name")

    sink = TableSink(w.cfg.out, "hubspot", "contact", w.cfg.fmt)
    sync_rng = w.rng("marketing.contacts.sync")
    sync = w.synced(sync_rng, n, np.maximum(created, last_visit))
    for lo in range(0, n, 200_000):
        s = order[lo:lo + 200_000]
        sink.write_columns({
            "id": vid[s],
            "_fivetran_deleted": deleted[s],
            "property_email": email[s],
            "property_firstname": ppl.given_names(people.given[person[s]]),
            "property_lastname": ppl.family_names(people.family[person[s]]),
            "property_company": company_name[s],
            "property_phone": np.where(rng.random(len(s)) < 0.7, people.phone[person[s]], None),
            "property_jobtitle": np.array(ppl.JOB_TITLES, dtype=object)[people.title[person[s]]],
            "property_lifecyclestage": stage[s],
            "property_hs_lifecyclestage_lead_date": fmt_ts(lead_date[s], lead_date[s] >= 0),
            "property_hs_lifecyclestage_marketingqualifiedlead_date": fmt_ts(mql_date[s], mql_date[s] >= 0),
            "property_hs_lifecyclestage_salesqualifiedlead_date": fmt_ts(sql_date[s], sql_date[s] >= 0),
            "property_hs_lifecyclestage_opportunity_date": fmt_ts(opp_date[s], opp_date[s] >= 0),
            "property_hs_lifecyclestage_customer_date": fmt_ts(cust_date[s], cust_date[s] >= 0),
            "property_hubspotscore": score[s],
            "property_hs_analytics_source": source[s],
            "property_hs_analytics_num_page_views": views[s],
            "property_hs_analytics_num_visits": visits[s],
            "property_hs_analytics_last_visit_timestamp": fmt_ts(last_visit[s]),
            "property_salesforceleadid": sf_lead[s],
            "property_associatedcompanyid": assoc[s],
            "property_business_unit": np.array(BUSINESS_UNITS, dtype=object)[bu[s]],
            "property_createdate": fmt_ts(created[s]),
            "_fivetran_synced": fmt_ts(sync[s]),
        }, len(s))
    sink.close()
    d["row_counts"]["hubspot.contact"] = sink.rows
    d["gt_person"].append(("hubspot", "contact", vid.astype(str).astype(object), person))

    # company table
    c_true = uniq // 2
    c_bu = uniq % 2
    nc = len(uniq)
    c_deleted = np.zeros(nc, bool)
    c_deleted[pick_rows(rng, np.arange(nc), 0.015)] = True
    w.defects.add("soft_deleted", "hubspot.company", int(c_deleted.sum()))
    csink = TableSink(w.cfg.out, "hubspot", "company", w.cfg.fmt)
    corder = np.argsort(company_hs_id)
    c_names = render_company_names(rng, comp.name[c_true], comp.is_kana[c_true],
                                   comp.legal_prefix[c_true], 0.4)
    c_corp = render_corporate_numbers(rng, comp.corporate_number[c_true], 0.6)
    count_written(w.defects, "hubspot.company", c_names, "company_name")
    count_written(w.defects, "hubspot.company", c_corp, "corporate_number")
    csink.write_columns({
        "id": company_hs_id[corder],
        "_fivetran_deleted": c_deleted[corder],
        "property_name": c_names[corder],
        "property_domain": np.where(rng.random(nc) < 0.9, comp.domain[c_true], None)[corder],
        "property_industry": np.where(rng.random(nc) < 0.85, np.array(ppl.INDUSTRIES, dtype=object)[
            comp.industry[c_true]], None)[corder],
        "property_numberofemployees": np.where(rng.random(nc) < 0.8,
                                               comp.employees[c_true].astype(object), None)[corder],
        "property_corporate_number": c_corp[corder],
        "property_business_unit": np.array(BUSINESS_UNITS, dtype=object)[c_bu][corder],
        "property_createdate": fmt_ts(first_created[corder]),
        "_fivetran_synced": fmt_ts(w.synced(rng, nc)[corder]),
    }, nc)
    csink.close()
    d["row_counts"]["hubspot.company"] = csink.rows
    d["gt_company"].append(("hubspot", "company", company_hs_id.astype(str).astype(object), c_true))

    _write_forms(w, vid, email, created, bu, is_mql, mql_date, plan, n_hs)
    _write_email_events(w, email, created, bu, engage)


def _write_forms(w: World, vid: np.ndarray, email: np.ndarray, created: np.ndarray,
                 bu: np.ndarray, is_mql: np.ndarray, mql_date: np.ndarray, plan: ContactPlan,
                 n_hs: int) -> None:
    sink = TableSink(w.cfg.out, "hubspot", "contact_form_submission", w.cfg.fmt)
    forms_by_bu = [[i for i, f in enumerate(FORMS) if f[4] == b] for b in (0, 1)]
    kind = np.array([f[3] for f in FORMS])
    n = len(vid)
    true_mql = np.full(n, -1, np.int64)
    true_mql[:n_hs] = plan.mql_time
    for ci, lo in enumerate(range(0, n, CHUNK)):
        rng = w.rng("marketing.forms", ci)
        idx = np.arange(lo, min(lo + CHUNK, n))
        m = len(idx)
        # the form that created the contact (most contacts), the MQL form, extra downloads
        has_create = rng.random(m) < 0.9
        extra = rng.poisson(0.55, m)
        mql_form = (true_mql[idx] >= 0) & (true_mql[idx] != created[idx])
        owner = np.concatenate([idx[has_create], idx[mql_form], np.repeat(idx, extra)])
        t = np.concatenate([
            created[idx][has_create], true_mql[idx][mql_form],
            np.repeat(created[idx], extra) + (rng.random(extra.sum()) * (
                w.cutoff - np.repeat(created[idx], extra))).astype(np.int64)])
        wants_inquiry = np.concatenate([
            (true_mql[idx] == created[idx])[has_create], np.ones(mql_form.sum(), bool),
            np.zeros(extra.sum(), bool)])
        b = bu[owner]
        f_pick = rng.integers(0, 5, size=len(owner))
        form = np.where(b == 0, np.array(forms_by_bu[0])[f_pick % len(forms_by_bu[0])],
                        np.array(forms_by_bu[1])[f_pick % len(forms_by_bu[1])])
        inquiry = np.where(b == 0, 3, 6)
        form = np.where(wants_inquiry & (rng.random(len(owner)) < 0.6), inquiry, form)
        form = np.where(~wants_inquiry & (kind[form] == 1), form - 1, form)
        order = np.lexsort((t, owner))
        owner, t, form = owner[order], t[order], form[order]
        hi = rng.integers(0, 2**63 - 1, size=len(owner), dtype=np.int64)
        lo2 = rng.integers(0, 2**63 - 1, size=len(owner), dtype=np.int64)
        conv = [f"{a & 0xFFFFFFFF:08x}-{(a >> 32) & 0xFFFF:04x}-4{(a >> 48) & 0xFFF:03x}-"
                f"{8 + (b2 & 3):x}{(b2 >> 2) & 0xFFF:03x}-{(b2 >> 14) & 0xFFFFFFFFFFFF:012x}"
                for a, b2 in zip(hi.tolist(), lo2.tolist(), strict=True)]
        sink.write_columns({
            "contact_id": vid[owner],
            "conversion_id": np.array(conv, dtype=object),
            "form_id": np.array([f[0] for f in FORMS], dtype=object)[form],
            "title": np.array([f[1] for f in FORMS], dtype=object)[form],
            "page_url": np.array([SITES[f[4]] + f[2] for f in FORMS], dtype=object)[form],
            "timestamp": fmt_ts(t),
            "_fivetran_synced": fmt_ts(w.synced(rng, len(owner), t)),
        }, len(owner))
    sink.close()
    w.data["row_counts"]["hubspot.contact_form_submission"] = sink.rows


def _campaigns(w: World) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Email campaigns: ~4 a month per business unit, sent on working days 10-17 JST."""
    rng = w.rng("marketing.campaigns")
    first = w.start_day - 180
    days = np.arange(first, w.as_of_day)
    working = days[w.calendar.is_working_day(days)]
    n = round(len(days) / 30.4 * 4) * 2
    day = np.sort(rng.choice(working, size=n, replace=False))
    send = day * DAY + (10 + rng.integers(0, 7, n)) * HOUR - 9 * HOUR
    cbu = rng.integers(0, 2, size=n)
    cid = 30_000_001 + np.arange(n) * 11
    return send, cbu, cid


def _write_email_events(w: World, email: np.ndarray, created: np.ndarray, bu: np.ndarray,
                        engage: np.ndarray) -> None:
    send, cbu, cid = _campaigns(w)
    sink = TableSink(w.cfg.out, "hubspot", "email_event", w.cfg.fmt)
    n = len(email)
    email_arr = pa.array(email, type=pa.string())
    n_dup_total = 0
    progress = w.data["progress"]
    for ci, lo in enumerate(range(0, n, CHUNK)):
        rng = w.rng("marketing.email", ci)
        idx = np.arange(lo, min(lo + CHUNK, n))
        p_send = np.clip(0.5 * engage[idx], 0.02, 0.9)
        eligible = (send[None, :] > created[idx, None]) & (cbu[None, :] == bu[idx, None])
        hit = eligible & (rng.random((len(idx), len(send)), dtype=np.float32) < p_send[:, None])
        r_i, c_i = np.nonzero(hit)
        contact = idx[r_i]
        m = len(contact)
        t_sent = send[c_i] + rng.integers(0, 900, m)
        bounce = rng.random(m) < 0.025
        t_deliv = t_sent + rng.integers(1, 40, m)
        p_open = np.clip(0.12 + 0.7 * engage[contact], 0, 0.9)
        t_open = t_deliv + np.exp(rng.normal(np.log(3 * HOUR), 1.2, m)).astype(np.int64)
        opened = ~bounce & (rng.random(m) < p_open) & (t_open < w.cutoff)
        t_click = t_open + rng.integers(5, 600, m)
        clicked = opened & (rng.random(m) < 0.22) & (t_click < w.cutoff)
        t_unsub = t_open + rng.integers(10, 900, m)
        unsub = opened & (rng.random(m) < 0.006) & (t_unsub < w.cutoff)
        ok = t_sent < w.cutoff
        parts = [
            (ok, 0, t_sent), (ok & ~bounce, 1, t_deliv), (ok & opened, 2, t_open),
            (ok & clicked, 3, t_click), (ok & bounce, 4, t_deliv), (ok & unsub, 5, t_unsub),
        ]
        ev_contact = np.concatenate([contact[mask] for mask, _, _ in parts])
        ev_type = np.concatenate([np.full(int(mask.sum()), k) for mask, k, _ in parts])
        ev_time = np.concatenate([tt[mask] for mask, _, tt in parts])
        ev_campaign = np.concatenate([cid[c_i][mask] for mask, _, _ in parts])
        order = np.lexsort((ev_type, ev_time))
        ev_contact, ev_type, ev_time, ev_campaign = (
            ev_contact[order], ev_type[order], ev_time[order], ev_campaign[order])
        k = len(ev_time)
        ev_id = (10**12 + ci * 10**8 + np.arange(k)).astype(np.int64)
        sync = w.synced(rng, k, ev_time)
        # connector re-delivery: ~0.5 % of events arrive twice (identical rows)
        dup = np.sort(rng.choice(k, size=round(k * 0.005), replace=False)) if k else np.array([], int)
        take = np.sort(np.concatenate([np.arange(k), dup]))
        n_dup_total += len(dup)
        sink.write_columns({
            "id": ev_id[take],
            "type": EVENT_TYPES[ev_type[take]],
            "recipient": pc.take(email_arr, pa.array(ev_contact[take])),
            "email_campaign_id": ev_campaign[take],
            "created": fmt_ts(ev_time[take]),
            "_fivetran_synced": fmt_ts(sync[take]),
        }, len(take))
        if progress is not None:
            progress.update(len(idx))
    sink.close()
    w.defects.add("exact_duplicate_row", "hubspot.email_event", n_dup_total)
    w.data["row_counts"]["hubspot.email_event"] = sink.rows


def jst_date_of(t: np.ndarray) -> np.ndarray:
    return jst_day(t)

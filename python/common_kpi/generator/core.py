"""Orchestration: plan the true world, simulate the funnel and contracts, write every table."""

from __future__ import annotations

import datetime as dt
import shutil
from typing import Any

import numpy as np
from tqdm import tqdm

from common_kpi.generator import crm, finance, marketing, sales, sales_tables
from common_kpi.generator import people as ppl
from common_kpi.generator.timeutil import DAY, HOUR, JST_OFFSET
from common_kpi.generator.world import GeneratorConfig, World
from common_kpi.generator.writer import GROUND_TRUTH, TABLES, TableSink, write_manifest

PROSPECT_COMPANIES = 6000


def _plan_companies(w: World) -> None:
    rng = w.rng("companies")
    n_ib = w.n(crm.IB_CUSTOMERS)
    n_pros = w.n(PROSPECT_COMPANIES)
    companies = ppl.make_companies(rng, n_ib + n_pros)
    r = rng.random(n_ib)
    ib_bus = [[0] if x < 0.7 else [1] if x < 0.85 else [0, 1] for x in r]
    w.data.update(companies=companies, n_ib=n_ib, n_prospects=n_pros, ib_bus=ib_bus,
                  ib_company=np.arange(n_ib, dtype=np.int64))
    only = {b: np.array([i for i, bs in enumerate(ib_bus) if bs == [b]], dtype=np.int64)
            for b in (0, 1)}
    w.data["ib_only"] = only


def _pick_company(n_ib: int, n_pros: int, only: dict[int, np.ndarray]):
    def pick(rng: np.random.Generator, bu: np.ndarray, is_mql: np.ndarray) -> np.ndarray:
        n = len(bu)
        out = n_ib + np.minimum((n_pros * rng.random(n) ** 1.4).astype(np.int64), n_pros - 1)
        # overlap: customers of the other business unit become leads of this one
        cross = is_mql & (rng.random(n) < 0.08)
        for b in (0, 1):
            pool = only[1 - b]
            m = cross & (bu == b)
            if len(pool):
                out[m] = pool[rng.integers(0, len(pool), int(m.sum()))]
        staff = ~is_mql & (rng.random(n) < 0.12)
        out[staff] = rng.integers(0, n_ib, int(staff.sum()))
        return out
    return pick


def _plan_people(w: World) -> None:
    d = w.data
    n_ib, n_pros = d["n_ib"], d["n_prospects"]
    pick = _pick_company(n_ib, n_pros, d["ib_only"])
    plan = marketing.plan_contacts(w, pick)
    rng = w.rng("people.plan")
    n_dir = round(plan.n_mql * sales.DIRECT_LEAD_SHARE / (1 - sales.DIRECT_LEAD_SHARE))
    dir_bu = (rng.random(n_dir) < 0.35).astype(np.int64)
    dir_created = w.calendar.random_working_times(rng, w.start_day, w.as_of_day - 1, n_dir)
    dir_company = pick(rng, dir_bu, np.ones(n_dir, bool))
    # installed-base contacts (1-3 per customer company) and account creation dates
    k = 1 + (rng.random(n_ib) < 0.5) + (rng.random(n_ib) < 0.2)
    ib_contact_company = np.repeat(np.arange(n_ib), k)
    acc_created = w.calendar.random_working_times(
        rng, w.start_day - 5 * 365 - 60, w.start_day - 90, n_ib)
    ib_contact_created = acc_created[ib_contact_company] + rng.integers(
        HOUR, 400 * DAY, len(ib_contact_company))
    ib_contact_created = np.minimum(ib_contact_created, w.start - DAY)
    company = np.concatenate([plan.company, dir_company, ib_contact_company])
    people = ppl.make_people(w.rng("people"), company, d["companies"])
    n_hs = len(plan)
    d.update(
        contact_plan=plan, people=people,
        direct_person=np.arange(n_hs, n_hs + n_dir), direct_bu=dir_bu,
        direct_created=np.sort(dir_created),
        ib_person=np.arange(n_hs + n_dir, len(company)),
        ib_contact_created=ib_contact_created,
        ib_account_created=acc_created,
        ib_primary_bu=np.array([bs[0] for bs in d["ib_bus"]], dtype=np.int64),
    )


def _write_ground_truth(w: World) -> None:
    for name, key in (("person_identity", "gt_person"), ("company_identity", "gt_company")):
        sink = TableSink(w.cfg.out, "ground_truth", name, "csv")
        id_col = GROUND_TRUTH[name][3]
        seen: set[tuple[str, str, str]] = set()
        for system, table, ids, truth in w.data[key]:
            ids = np.asarray(ids, dtype=object)
            keep = []
            for i, x in enumerate(ids.tolist()):
                k = (system, table, x)
                if x is not None and k not in seen:
                    seen.add(k)
                    keep.append(i)
            keep_arr = np.array(keep, dtype=np.int64)
            sink.write_columns({
                "source_system": system, "source_table": table,
                "source_record_id": ids[keep_arr],
                id_col: np.asarray(truth)[keep_arr].astype(np.int64) + 1,
            }, len(keep_arr))
        sink.close()


def generate(cfg: GeneratorConfig) -> dict[str, Any]:
    """Generate every raw table, the ground truth and `_manifest.json` into `cfg.out`."""
    out = cfg.out
    manifest_path = out / "_manifest.json"
    if manifest_path.exists():
        manifest_path.unlink()
    for system in [*TABLES, "ground_truth"]:
        if (out / system).exists():
            shutil.rmtree(out / system)
    out.mkdir(parents=True, exist_ok=True)
    w = World(cfg)
    d = w.data
    d.update(row_counts={}, gt_person=[], gt_company=[], progress=None)
    _plan_companies(w)
    _plan_people(w)
    d["users"] = sales.make_users(w)
    sales.simulate_leads(w)
    crm.simulate(w)
    crm.existing_business(w)
    n_contacts = len(d["contact_plan"]) * 1.03
    with tqdm(total=round(n_contacts), desc="hubspot email events", unit=" contacts",
              disable=not cfg.progress, leave=False) as bar:
        d["progress"] = bar
        marketing.write_hubspot(w)
        d["progress"] = None
    sales_tables.write_salesforce(w)
    crm.write_crm(w)
    finance.write_finance(w)
    _write_ground_truth(w)
    generated_at = dt.datetime.combine(cfg.as_of, dt.time(6, 0)) - dt.timedelta(hours=9)
    manifest = {
        "generator": "common_kpi.generator",
        "scale": cfg.scale,
        "seed": cfg.seed,
        "format": cfg.fmt,
        "as_of": cfg.as_of.isoformat(),
        "history_start": "2024-04-01",
        "generated_at": generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "row_counts": dict(sorted(d["row_counts"].items())),
        **w.defects.as_dict(),
        "calibration": {
            "installed_base_amount_factor": round(d["ib_factor"], 6),
            "fy2026_revenue_target_jpy": round(crm.TARGET_FY2026_REVENUE * cfg.scale),
        },
    }
    manifest.setdefault("quarantine", {})
    manifest.setdefault("readable_variants", {})
    write_manifest(out, manifest)
    return manifest


__all__ = ["JST_OFFSET", "GeneratorConfig", "generate"]

"""Finance: monthly P&L per business unit (revenue, cost_of_sales, sga) for closed months.

Revenue is the contract revenue recognised in the month (amount ÷ term months) plus ±1 %
noise; cost of sales and SG&A are ratios per business unit (SaaS 34 % / 51 %, consulting
56 % / 36 %), which gives a blended operating margin of ~12-14 %, under the 15 % target.
"""

from __future__ import annotations

import numpy as np

from common_kpi.generator.crm import recognised_by_month
from common_kpi.generator.timeutil import DAY, HOUR, JST_OFFSET, fmt_date, fmt_ts, month_start
from common_kpi.generator.world import BUSINESS_UNITS, World
from common_kpi.generator.writer import TableSink

RATIOS = {0: (0.34, 0.51), 1: (0.56, 0.36)}


def write_finance(w: World) -> None:
    d = w.data
    rng = w.rng("finance")
    terms, _ = d["contracts_emitted"]
    cust_bu = d["customers"]["bu"]
    last_month = int(month_start(np.array([w.as_of_day]))[0])  # excluded: not closed
    months = np.unique(month_start(np.arange(w.start_day, last_month)))
    period, bu_col, line, amount = [], [], [], []
    for b in (0, 1):
        mine = [t for t in terms if cust_bu[t.customer] == b]
        rev = recognised_by_month(np.array([t.start for t in mine]), np.array([t.end for t in mine]),
                                  np.array([t.amount for t in mine], dtype=float))
        cos_r, sga_r = RATIOS[b]
        for m in months.tolist():
            r = rev.get(m, 0.0) * (1 + rng.normal(0, 0.01))
            for name, value in (("revenue", r), ("cost_of_sales", r * cos_r * (1 + rng.normal(0, 0.02))),
                                ("sga", r * sga_r * (1 + rng.normal(0, 0.03)))):
                period.append(m)
                bu_col.append(BUSINESS_UNITS[b])
                line.append(name)
                amount.append(round(value))
    n = len(period)
    order = np.lexsort((np.arange(n), np.array(period)))
    exported = (w.as_of_day - 3) * DAY + 20 * HOUR - JST_OFFSET
    sink = TableSink(w.cfg.out, "finance", "pl_monthly", w.cfg.fmt)
    sink.write_columns({
        "period_month": fmt_date(np.array(period)[order]),
        "business_unit": np.array(bu_col, dtype=object)[order],
        "line_item": np.array(line, dtype=object)[order],
        "amount_jpy": np.array(amount, dtype=np.int64)[order],
        "exported_at": fmt_ts(np.full(n, exported)),
    }, n)
    sink.close()
    d["row_counts"]["finance.pl_monthly"] = sink.rows

"""Time helpers: the JST business calendar, UTC ISO-8601 text, Salesforce-style ids.

All event times are carried as int64 seconds since the Unix epoch in UTC. The business
happens in JST (UTC+9): a call at 10:00 JST is written `...T01:00:00Z`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

JST_OFFSET = 9 * 3600
DAY = 86400
HOUR = 3600
WORK_START_H = 9
WORK_END_H = 19
WORK_SECONDS_PER_DAY = (WORK_END_H - WORK_START_H) * HOUR

# Japanese public holidays (国民の祝日 and 振替休日) 2021-2027.
_HOLIDAYS = """
2021-01-01 2021-01-11 2021-02-11 2021-02-23 2021-03-20 2021-04-29 2021-05-03 2021-05-04
2021-05-05 2021-07-22 2021-07-23 2021-08-09 2021-09-20 2021-09-23 2021-11-03 2021-11-23
2022-01-01 2022-01-10 2022-02-11 2022-02-23 2022-03-21 2022-04-29 2022-05-03 2022-05-04
2022-05-05 2022-07-18 2022-08-11 2022-09-19 2022-09-23 2022-10-10 2022-11-03 2022-11-23
2023-01-01 2023-01-02 2023-01-09 2023-02-11 2023-02-23 2023-03-21 2023-04-29 2023-05-03
2023-05-04 2023-05-05 2023-07-17 2023-08-11 2023-09-18 2023-09-23 2023-10-09 2023-11-03
2023-11-23 2024-01-01 2024-01-08 2024-02-11 2024-02-12 2024-02-23 2024-03-20 2024-04-29
2024-05-03 2024-05-04 2024-05-05 2024-05-06 2024-07-15 2024-08-11 2024-08-12 2024-09-16
2024-09-22 2024-09-23 2024-10-14 2024-11-03 2024-11-04 2024-11-23 2025-01-01 2025-01-13
2025-02-11 2025-02-23 2025-02-24 2025-03-20 2025-04-29 2025-05-03 2025-05-04 2025-05-05
2025-05-06 2025-07-21 2025-08-11 2025-09-15 2025-09-23 2025-10-13 2025-11-03 2025-11-23
2025-11-24 2026-01-01 2026-01-12 2026-02-11 2026-02-23 2026-03-20 2026-04-29 2026-05-03
2026-05-04 2026-05-05 2026-05-06 2026-07-20 2026-08-11 2026-09-21 2026-09-22 2026-09-23
2026-10-12 2026-11-03 2026-11-23 2027-01-01 2027-01-11 2027-02-11 2027-02-23 2027-03-21
2027-03-22 2027-04-29 2027-05-03 2027-05-04 2027-05-05 2027-07-19 2027-08-11 2027-09-20
2027-09-23 2027-10-11 2027-11-03 2027-11-23
"""

EPOCH = dt.date(1970, 1, 1)


def day_number(date: dt.date) -> int:
    """Days since 1970-01-01."""
    return (date - EPOCH).days


def parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class BusinessCalendar:
    """Working days in JST (weekdays minus holidays and the 12/29-1/3 year-end closure)."""

    def __init__(self, first_day: int, last_day: int) -> None:
        days = np.arange(first_day, last_day + 1, dtype=np.int64)
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
        holidays = {day_number(dt.date.fromisoformat(d)) for d in _HOLIDAYS.split()}
        dates = days.astype("datetime64[D]")
        month_day = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
        month = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
        year_end = ((month == 12) & (month_day >= 29)) | ((month == 1) & (month_day <= 3))
        is_holiday = np.isin(days, np.fromiter(holidays, dtype=np.int64)) | year_end
        self.first_day = first_day
        self.is_working = (weekday < 5) & ~is_holiday
        self.working_days = days[self.is_working]

    def is_working_day(self, day: np.ndarray) -> np.ndarray:
        idx = np.clip(day - self.first_day, 0, len(self.is_working) - 1)
        return self.is_working[idx]

    def to_work_seconds(self, t_utc: np.ndarray) -> np.ndarray:
        """Map a UTC time to cumulative working seconds (the next working moment if outside)."""
        t_jst = t_utc + JST_OFFSET
        day = t_jst // DAY
        sec = t_jst - day * DAY
        idx = np.searchsorted(self.working_days, day, side="left")
        idx = np.minimum(idx, len(self.working_days) - 1)
        on_day = self.working_days[idx] == day
        in_sec = np.clip(sec - WORK_START_H * HOUR, 0, WORK_SECONDS_PER_DAY)
        after_close = on_day & (in_sec >= WORK_SECONDS_PER_DAY)
        work = np.where(on_day, idx * WORK_SECONDS_PER_DAY + in_sec, idx * WORK_SECONDS_PER_DAY)
        return np.where(after_close, (idx + 1) * WORK_SECONDS_PER_DAY, work)

    def from_work_seconds(self, work: np.ndarray) -> np.ndarray:
        """Inverse of `to_work_seconds`: cumulative working seconds → UTC time."""
        idx, rem = np.divmod(work, WORK_SECONDS_PER_DAY)
        idx = np.minimum(idx, len(self.working_days) - 1)
        return self.working_days[idx] * DAY + WORK_START_H * HOUR + rem - JST_OFFSET

    def add_working_seconds(self, t_utc: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        return self.from_work_seconds(self.to_work_seconds(t_utc) + seconds)

    def random_working_times(
        self, rng: np.random.Generator, start_day: np.ndarray | int, end_day: np.ndarray | int,
        n: int | None = None,
    ) -> np.ndarray:
        """Uniform working moments (JST 9-19 on working days) between two day numbers."""
        start_day = np.asarray(start_day)
        end_day = np.asarray(end_day)
        size = n if n is not None else np.broadcast(start_day, end_day).shape
        lo = np.searchsorted(self.working_days, start_day, side="left")
        hi = np.searchsorted(self.working_days, end_day, side="right")
        hi = np.maximum(hi, lo + 1)
        idx = np.minimum(lo + (rng.random(size) * (hi - lo)).astype(np.int64),
                         len(self.working_days) - 1)
        sec = rng.integers(0, WORK_SECONDS_PER_DAY, size=size)
        return self.working_days[idx] * DAY + WORK_START_H * HOUR + sec - JST_OFFSET


def web_times(rng: np.random.Generator, day: np.ndarray) -> np.ndarray:
    """A time of day when people fill in web forms (JST, peaking in office hours)."""
    hours = rng.choice(
        np.arange(24),
        size=len(day),
        p=_normalise([1, 1, 0.5, 0.3, 0.3, 0.5, 1, 2, 4, 7, 8, 8, 6, 7, 8, 8, 7, 6, 5, 4, 3, 3,
                      2, 1.5]),
    )
    return day * DAY + hours * HOUR + rng.integers(0, HOUR, size=len(day)) - JST_OFFSET


def _normalise(weights: list[float]) -> np.ndarray:
    arr = np.asarray(weights, dtype=float)
    return arr / arr.sum()


def jst_day(t_utc: np.ndarray) -> np.ndarray:
    return (np.asarray(t_utc) + JST_OFFSET) // DAY


def fmt_ts(t_utc: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """UTC seconds → `2026-01-07T01:23:45Z` text (null where mask is False)."""
    arr = pa.array(np.asarray(t_utc, dtype=np.int64), type=pa.int64()).cast(pa.timestamp("s"))
    text = pc.strftime(arr, format="%Y-%m-%dT%H:%M:%SZ")
    if mask is not None:
        text = pc.if_else(pa.array(np.asarray(mask, dtype=bool)), text, pa.nulls(len(text), pa.string()))
    return text


def fmt_date(day: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Day numbers → `YYYY-MM-DD` text (null where mask is False)."""
    arr = pa.array(np.asarray(day, dtype=np.int32), type=pa.int32()).cast(pa.date32())
    text = pc.strftime(arr, format="%Y-%m-%d")
    if mask is not None:
        text = pc.if_else(pa.array(np.asarray(mask, dtype=bool)), text, pa.nulls(len(text), pa.string()))
    return text


def month_start(day: np.ndarray) -> np.ndarray:
    """First day (day number) of the calendar month of each day number."""
    return np.asarray(day).astype("datetime64[D]").astype("datetime64[M]").astype(
        "datetime64[D]").astype(np.int64)


def add_months(day: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """Same day-of-month `months` later (clipped to the month's end)."""
    d = np.asarray(day).astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    dom = (d - m.astype("datetime64[D]")).astype(np.int64)
    target = m + np.asarray(months)
    last = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return (target.astype("datetime64[D]") + np.minimum(dom, last - 1)).astype(np.int64)


_SF_CHECK = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _sf_id(prefix: str, n: int) -> str:
    body = []
    for _ in range(9):
        n, r = divmod(n, 62)
        body.append(_B62[r])
    id15 = prefix + "5g0" + "".join(reversed(body))
    suffix = ""
    for chunk in range(3):
        bits = 0
        for i, ch in enumerate(id15[chunk * 5:chunk * 5 + 5]):
            if "A" <= ch <= "Z":
                bits |= 1 << i
        suffix += _SF_CHECK[bits]
    return id15 + suffix


def sf_ids(prefix: str, start: int, n: int, stride: int = 7919) -> list[str]:
    """18-character Salesforce ids with the real case-checksum suffix (deterministic)."""
    return [_sf_id(prefix, 1_000_003 + (start + i) * stride) for i in range(n)]


def sf_ids_for(prefix: str, numbers: np.ndarray, stride: int = 7919) -> list[str]:
    return [_sf_id(prefix, 1_000_003 + int(i) * stride) for i in numbers]

"""The defects real exports carry. Every injected defect is counted in a `Defects` ledger
that ends up in `_manifest.json`, so tests (and the staging models) can check them.

Proportions (per record of the table concerned):
- duplicate people: 2 % extra HubSpot contacts and 1.5 % extra Salesforce leads that are a
  person already present, with the email re-typed (case, spaces, full-width);
- the Salesforce copy of a synced contact's email re-typed the same way: 5 %;
- company names: 40 % of records use another legal-form spelling than 株式会社X / X株式会社
  ((株)X, ㈱X, （株）X, half-width katakana, extra spaces);
- 法人番号: missing (HubSpot 60 %, Salesforce 35 %, CRM 4 %), hyphenated 6 %, full-width 4 %;
- soft deletes: ~1.5 % of rows (flags on unreferenced rows, or deleted junk copies);
- exact duplicate rows: 0.5 % of email events, a few CRM customers / contracts rows;
- quarantine (fixed counts) and readable variants: see `QUARANTINE_COUNTS`.
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np

QUARANTINE_COUNTS = {
    ("nps_score_out_of_range", "crm.nps_responses"): 2,
    ("close_date_before_created_date", "salesforce.opportunity"): 2,
    ("unknown_stage_name", "salesforce.opportunity"): 2,
    ("end_date_before_start_date", "crm.contracts"): 2,
    ("unparseable_amount", "salesforce.opportunity"): 1,
    ("unparseable_amount", "crm.contracts"): 1,
    ("missing_id", "salesforce.lead"): 2,
}

_FW_TABLE = {c: chr(ord(c) + 0xFEE0) for c in map(chr, range(0x21, 0x7F))}
_FULLWIDTH = str.maketrans(_FW_TABLE)
_FW_DIGITS = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)})

_HALF_KANA = dict(zip(
    "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン",
    "｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ",
    strict=True,
))
_VOICED = dict(zip("ガギグゲゴザジズゼゾダヂヅデドバビブベボヴ", "カキクケコサシスセソタチツテトハヒフヘホウ",
                   strict=True))
_SEMI = dict(zip("パピプペポ", "ハヒフヘホ", strict=True))


class Defects:
    """Ledger of injected defects: section → kind → "system.table" → count."""

    def __init__(self) -> None:
        self.sections: dict[str, dict[str, dict[str, int]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(int)))

    def add(self, kind: str, table: str, count: int, section: str = "defects") -> None:
        if count:
            self.sections[section][kind][table] += int(count)

    def as_dict(self) -> dict[str, dict[str, dict[str, int]]]:
        return {
            section: {kind: dict(sorted(tables.items())) for kind, tables in sorted(kinds.items())}
            for section, kinds in sorted(self.sections.items())
        }


def fullwidth(text: str) -> str:
    return text.translate(_FULLWIDTH)


def fullwidth_digits(text: str) -> str:
    return text.translate(_FW_DIGITS)


def halfwidth_kana(text: str) -> str:
    out = []
    for ch in text:
        if ch in _VOICED:
            out.append(_HALF_KANA[_VOICED[ch]] + "ﾞ")
        elif ch in _SEMI:
            out.append(_HALF_KANA[_SEMI[ch]] + "ﾟ")
        else:
            out.append(_HALF_KANA.get(ch, ch))
    return "".join(out)


EMAIL_VARIANTS = ("email_case_variant", "email_space_variant", "email_fullwidth_variant")


def retype_email(email: str, kind: int, pick: float) -> str:
    """Re-type an email the way people do: 0 = case, 1 = spaces, 2 = full-width."""
    if kind == 0:
        local, _, domain = email.partition("@")
        return (local.capitalize() + "@" + domain) if pick < 0.5 else email.upper()
    if kind == 1:
        if pick < 0.4:
            return " " + email + " "
        if pick < 0.7:
            return email + " "
        return email.replace("@", " @", 1)
    return fullwidth(email)


def retype_emails(rng: np.random.Generator, emails: np.ndarray) -> np.ndarray:
    kinds = rng.integers(0, 3, size=len(emails))
    picks = rng.random(len(emails))
    return np.array([retype_email(e, k, p) for e, k, p in zip(emails, kinds, picks, strict=True)],
                    dtype=object)


NAME_VARIANTS = (
    "company_name_abbrev_paren",     # (株)X
    "company_name_abbrev_enclosed",  # ㈱X
    "company_name_abbrev_fullwidth_paren",  # （株）X
    "company_name_halfwidth_kana",   # ｶﾌﾞｼｷｶﾞｲｼｬ ｻｸﾗﾃｯｸ
    "company_name_extra_spaces",     # 株式会社　X / " X 株式会社"
)


def render_company_names(
    rng: np.random.Generator, core: np.ndarray, is_kana: np.ndarray, legal_prefix: np.ndarray,
    variant_rate: float = 0.4,
) -> np.ndarray:
    """Company names as typed: mostly 株式会社X / X株式会社, else a counted variant."""
    n = len(core)
    variant = rng.random(n) < variant_rate
    kind = rng.integers(0, len(NAME_VARIANTS), size=n)
    kind = np.where((kind == 3) & ~is_kana, 0, kind)
    pick = rng.random(n)
    out = []
    for i in range(n):
        x = core[i]
        canonical = f"株式会社{x}" if legal_prefix[i] else f"{x}株式会社"
        if not variant[i]:
            out.append(canonical)
            continue
        k = kind[i]
        if k == 0:
            out.append(f"(株){x}" if legal_prefix[i] else f"{x}(株)")
        elif k == 1:
            out.append(f"㈱{x}" if legal_prefix[i] else f"{x}㈱")
        elif k == 2:
            out.append(f"（株）{x}" if legal_prefix[i] else f"{x}（株）")
        elif k == 3:
            hw = halfwidth_kana(x)
            out.append(f"ｶﾌﾞｼｷｶﾞｲｼｬ {hw}" if legal_prefix[i] else f"{hw} ｶﾌﾞｼｷｶﾞｲｼｬ")
        else:
            if pick[i] < 0.5:
                out.append(f"株式会社　{x}" if legal_prefix[i] else f"{x}　株式会社")
            else:
                out.append(f" {canonical}  ")
    return np.array(out, dtype=object)


def render_corporate_numbers(
    rng: np.random.Generator, numbers: np.ndarray, missing_rate: float,
) -> np.ndarray:
    """法人番号 as typed: missing, hyphenated (1-2345-6789-0123) or full-width, counted."""
    n = len(numbers)
    r = rng.random(n)
    out = np.empty(n, dtype=object)
    missing = r < missing_rate
    hyphen = (r >= missing_rate) & (r < missing_rate + 0.06)
    wide = (r >= missing_rate + 0.06) & (r < missing_rate + 0.10)
    for i in range(n):
        x = numbers[i]
        if missing[i]:
            out[i] = None
        elif hyphen[i]:
            out[i] = f"{x[0]}-{x[1:5]}-{x[5:9]}-{x[9:]}"
        elif wide[i]:
            out[i] = fullwidth_digits(x)
        else:
            out[i] = x
    return out


def amount_variants(
    rng: np.random.Generator, amounts: np.ndarray, comma_rate: float, fullwidth_rate: float,
) -> np.ndarray:
    """Integer amounts as text, some with thousands separators or full-width digits."""
    r = rng.random(len(amounts))
    out = np.empty(len(amounts), dtype=object)
    comma = r < comma_rate
    wide = (r >= comma_rate) & (r < comma_rate + fullwidth_rate)
    for i, a in enumerate(amounts):
        v = int(a)
        out[i] = f"{v:,}" if comma[i] else fullwidth_digits(str(v)) if wide[i] else str(v)
    return out


def pick_rows(rng: np.random.Generator, candidates: np.ndarray, rate: float,
              minimum: int = 1) -> np.ndarray:
    """A deterministic random subset of candidate row indices (at least `minimum`)."""
    candidates = np.asarray(candidates)
    if len(candidates) == 0:
        return candidates
    k = min(len(candidates), max(minimum, round(len(candidates) * rate)))
    return np.sort(rng.choice(candidates, size=k, replace=False))


_FW_CHAR = re.compile("[\uff01-\uff5e]")
_FW_DIGIT = re.compile("[０-９]")


def classify(value: str | None, family: str) -> str | None:
    """The defect kind a written value carries (None = clean). Families: email, company_name,
    corporate_number, amount, date."""
    if family == "corporate_number":
        if value is None:
            return "corporate_number_missing"
        if "-" in value:
            return "corporate_number_hyphenated"
        return "corporate_number_fullwidth" if _FW_DIGIT.search(value) else None
    if value is None:
        return None
    if family == "email":
        if _FW_CHAR.search(value):
            return "email_fullwidth_variant"
        if " " in value:
            return "email_space_variant"
        return "email_case_variant" if value != value.lower() else None
    if family == "company_name":
        for mark, kind in (("ｶﾌﾞｼｷｶﾞｲｼｬ", "company_name_halfwidth_kana"),
                           ("㈱", "company_name_abbrev_enclosed"),
                           ("（株）", "company_name_abbrev_fullwidth_paren"),
                           ("(株)", "company_name_abbrev_paren")):
            if mark in value:
                return kind
        if "　" in value or value.startswith(" "):
            return "company_name_extra_spaces"
        return None
    if family == "amount":
        if "," in value:
            return "amount_with_commas"
        return "amount_fullwidth_digits" if _FW_DIGIT.search(value) else None
    if family == "date":
        return "slash_date" if "/" in value else None
    raise ValueError(family)


def count_written(defects: Defects, table: str, values: object, family: str) -> None:
    """Count the defects carried by a column as it is written (copies included)."""
    section = "readable_variants" if family in {"amount", "date"} else "defects"
    counts: dict[str, int] = {}
    for v in list(values.to_pylist() if hasattr(values, "to_pylist") else values):
        kind = classify(v, family)
        if kind:
            counts[kind] = counts.get(kind, 0) + 1
    for kind, c in counts.items():
        defects.add(kind, table, c, section)

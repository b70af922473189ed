"""Personal data (emails, phone numbers, names of people) must not reach the marts BI tools read.

Two independent checks:
- the dbt manifest: staging columns carrying personal data are tagged
  `meta: {contains_pii: true}`; no model under models/marts may have a tagged column, nor a
  column named like a tagged one (the usual way a column travels through the layers);
- the values: every text column of every mart table is scanned for values that look like
  an email address or a phone number (after width folding, so ０９０ counts as 090).
The patterns and the mart path come from quality.yml (`pii:`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common_kpi.quality.report import Failure

CHECK_NAME = "pii"


@dataclass(frozen=True)
class PiiRules:
    meta_key: str
    mart_path_prefix: str
    email_pattern: re.Pattern[str]
    phone_candidate_pattern: re.Pattern[str]
    phone_digit_counts: dict[str, tuple[int, int]]
    text_types: tuple[str, ...]

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> PiiRules:
        digit_counts = {
            prefix: (int(bounds[0]), int(bounds[1]))
            for prefix, bounds in config["phone_digit_counts"].items()
        }
        return cls(
            meta_key=config["meta_key"],
            mart_path_prefix=config["mart_path_prefix"],
            email_pattern=re.compile(config["email_pattern"]),
            phone_candidate_pattern=re.compile(config["phone_candidate_pattern"]),
            phone_digit_counts=digit_counts,
            text_types=tuple(config["text_types"]),
        )


def _is_tagged(column: dict[str, Any], meta_key: str) -> bool:
    meta = dict(column.get("meta") or {})
    meta.update((column.get("config") or {}).get("meta") or {})
    return bool(meta.get(meta_key))


def pii_columns(manifest: dict[str, Any], meta_key: str) -> dict[str, set[str]]:
    """Model unique id → names of its columns tagged as personal data."""
    tagged: dict[str, set[str]] = {}
    for unique_id, node in manifest.get("nodes", {}).items():
        if node.get("resource_type") != "model":
            continue
        names = {name for name, column in node.get("columns", {}).items() if _is_tagged(column, meta_key)}
        if names:
            tagged[unique_id] = names
    return tagged


def check_manifest(manifest: dict[str, Any], rules: PiiRules) -> tuple[int, list[Failure]]:
    """Mart models with a PII-tagged column, or a column named like a PII-tagged one elsewhere."""
    tagged = pii_columns(manifest, rules.meta_key)
    tagged_names = {name for names in tagged.values() for name in names}
    failures: list[Failure] = []
    evaluated = 0
    for unique_id, node in sorted(manifest.get("nodes", {}).items()):
        if node.get("resource_type") != "model":
            continue
        if not node.get("original_file_path", "").startswith(rules.mart_path_prefix):
            continue
        evaluated += 1
        for name in sorted(tagged.get(unique_id, set())):
            failures.append(
                Failure(CHECK_NAME, node["name"], name, f"no column tagged {rules.meta_key}", "tagged")
            )
        for name in sorted(set(node.get("columns", {})) - tagged.get(unique_id, set())):
            if name in tagged_names:
                failures.append(
                    Failure(
                        CHECK_NAME,
                        node["name"],
                        name,
                        "no column named like a personal-data column",
                        f"a column {name!r} is tagged {rules.meta_key} in staging",
                    )
                )
    return evaluated, failures


def load_manifest(target_path: Path) -> dict[str, Any]:
    manifest = target_path / "manifest.json"
    if not manifest.exists():
        raise FileNotFoundError(f"{manifest} does not exist: run dbt (make build) first")
    return json.loads(manifest.read_text(encoding="utf-8"))


def looks_like_email(value: str, rules: PiiRules) -> bool:
    return bool(rules.email_pattern.search(unicodedata.normalize("NFKC", value)))


def looks_like_phone(value: str, rules: PiiRules) -> bool:
    """A run starting with a phone prefix whose digit count is that of a phone number."""
    folded = unicodedata.normalize("NFKC", value)
    for match in rules.phone_candidate_pattern.finditer(folded):
        candidate = match.group(0)
        digits = re.sub(r"\D", "", candidate)
        for prefix, (low, high) in rules.phone_digit_counts.items():
            if candidate.startswith(prefix) and low <= len(digits) <= high:
                return True
    return False


def mart_tables(connection: Any, manifest: dict[str, Any], rules: PiiRules) -> list[tuple[str, str]]:
    """(model name, qualified relation) of every mart model materialised in the warehouse."""
    relations = []
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model":
            continue
        if not node.get("original_file_path", "").startswith(rules.mart_path_prefix):
            continue
        found = connection.execute(
            "select table_schema from information_schema.tables "
            "where table_catalog = current_database() and table_name = ? and table_schema = ?",
            [node.get("alias") or node["name"], node["schema"]],
        ).fetchone()
        if found:
            relations.append((node["name"], f'"{node["schema"]}"."{node.get("alias") or node["name"]}"'))
    return sorted(relations)


def scan_values(
    connection: Any, relations: list[tuple[str, str]], rules: PiiRules
) -> tuple[int, list[Failure]]:
    """Every text column of the given relations, scanned for emails and phone numbers."""
    failures: list[Failure] = []
    evaluated = 0
    for name, relation in relations:
        columns = connection.execute(f"describe select * from {relation}").fetchall()
        for column_name, column_type, *_ in columns:
            if not str(column_type).upper().startswith(rules.text_types):
                continue
            evaluated += 1
            quoted = '"' + column_name.replace('"', '""') + '"'
            values = [
                row[0]
                for row in connection.execute(
                    f"select distinct {quoted} from {relation} where {quoted} is not null"
                ).fetchall()
            ]
            emails = [value for value in values if looks_like_email(value, rules)]
            phones = [value for value in values if looks_like_phone(value, rules)]
            for kind, found in (("email", emails), ("phone number", phones)):
                if found:
                    failures.append(
                        Failure(
                            CHECK_NAME,
                            name,
                            column_name,
                            f"no value that looks like an {kind}"
                            if kind == "email"
                            else f"no value that looks like a {kind}",
                            f"{len(found)} distinct value(s), e.g. {mask(found[0])}",
                        )
                    )
    return evaluated, failures


def mask(value: str) -> str:
    """A found value shortened so that the report does not repeat the personal data it found."""
    return f"{value[:2]}… ({len(value)} characters)"


def check_pii(connection: Any, manifest: dict[str, Any], config: dict[str, Any]) -> tuple[int, list[Failure]]:
    """Both checks: the manifest's tags and the mart values."""
    rules = PiiRules.from_config(config)
    evaluated_models, manifest_failures = check_manifest(manifest, rules)
    relations = mart_tables(connection, manifest, rules)
    evaluated_columns, value_failures = scan_values(connection, relations, rules)
    return evaluated_models + evaluated_columns, manifest_failures + value_failures

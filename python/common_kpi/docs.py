"""`common-kpi docs`: generate the dbt docs site (lineage, KPI definitions, exposures).

The catalog (column types, row counts) is read from the *published* warehouse, the one BI
tools, the dashboard and the meeting pack read. dbt opens its database read-write, and the
published file must stay read-only for its readers, so the site is generated against a
private copy of the published file that is deleted afterwards. The lineage runs from the raw
sources through staging, intermediate and marts to the exposures in models/exposures.yml
(each dashboard page and the meeting pack).

The site is shareable: the overview page is docs/dbt/overview.md; the builder's absolute
paths (the project folder, the raw data folder that COMMON_KPI_RAW_PATH points at) are
replaced by `.` and `$COMMON_KPI_RAW_PATH` in the generated manifest and catalog; each
model's Owner is its group's owner (models/_groups.yml), each source's its `meta.owner`
(models/staging/<system>/_<system>__sources.yml; `source_owners`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from common_kpi import PROJECT_DIR
from common_kpi.build import published_path, run_dbt

DEFAULT_TARGET = PROJECT_DIR / "target"


def generate_docs(published: Path, target_path: Path) -> int:
    """Run `dbt docs generate` on a copy of `published`, writing the site to `target_path`."""
    with tempfile.TemporaryDirectory(prefix="common-kpi-docs-") as scratch:
        copy = Path(scratch) / published.name
        shutil.copyfile(published, copy)
        completed = run_dbt(["docs", "generate"], duckdb_path=copy, target_path=target_path)
    return completed.returncode


RAW_PATH_PLACEHOLDER = "$COMMON_KPI_RAW_PATH"


def path_replacements(target_path: Path | None = None) -> list[tuple[str, str]]:
    """Absolute paths of this machine → what the shared site shows, longest first. dbt writes
    each node's compiled_path under the target folder, absolute when that folder is outside
    the project: it is shown as `target`."""
    pairs = [(str(PROJECT_DIR), ".")]
    if target_path is not None:
        pairs.append((str(target_path.resolve()), "target"))
    raw = os.environ.get("COMMON_KPI_RAW_PATH")
    if raw:
        pairs.append((str(Path(raw).resolve()), RAW_PATH_PLACEHOLDER))
        pairs.append((raw.rstrip("/"), RAW_PATH_PLACEHOLDER))
    return sorted(set(pairs), key=lambda pair: len(pair[0]), reverse=True)


def scrub_site(target_path: Path) -> int:
    """Replace the builder's absolute paths in the site's files; return how many path
    occurrences were replaced."""
    replaced = 0
    for name in ("manifest.json", "catalog.json", "static_index.html"):
        path = target_path / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for absolute, shown in path_replacements(target_path):
            for form in (absolute, json.dumps(absolute)[1:-1]):
                replaced += text.count(form)
                text = text.replace(form, shown)
        path.write_text(text, encoding="utf-8")
    return replaced


def source_owners(target_path: Path) -> int:
    """Show each source's owner (its `meta.owner`, _<system>__sources.yml) in the Owner field
    of its dbt docs page, and return how many sources got one.

    dbt docs fills Owner from the group of a model, and for a source only from the catalog
    (the database's table owner). Our sources are files DuckDB reads through
    `external_location`, so the catalog has no entry for them and the field stays blank; the
    page's meta section shows `owner` either way. An entry is added for each source the
    catalog lacks, with the owner and no column or statistic (the columns' descriptions
    come from the manifest, as before)."""
    manifest = json.loads((target_path / "manifest.json").read_text(encoding="utf-8"))
    catalog_path = target_path / "catalog.json"
    catalog = json.loads(catalog_path.read_text(encoding="utf-8"))
    entries = catalog.setdefault("sources", {})
    added = 0
    for unique_id, source in manifest.get("sources", {}).items():
        owner = (source.get("meta") or {}).get("owner") or (source.get("source_meta") or {}).get("owner")
        if not owner or unique_id in entries:
            continue
        entries[unique_id] = {
            "metadata": {
                "type": "external file",
                "schema": source.get("schema"),
                "name": source.get("identifier") or source.get("name"),
                "database": source.get("database"),
                "comment": None,
                "owner": owner,
            },
            "columns": {},
            "stats": {
                "has_stats": {
                    "id": "has_stats",
                    "label": "Has Stats?",
                    "value": False,
                    "include": False,
                    "description": "Indicates whether there are statistics for this table",
                }
            },
            "unique_id": unique_id,
        }
        added += 1
    catalog_path.write_text(json.dumps(catalog), encoding="utf-8")
    return added


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi docs", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--target-path", type=Path, default=DEFAULT_TARGET, help="where to write the site (default target/)"
    )
    args = parser.parse_args(argv)
    published = published_path()
    if not published.is_file():
        print(
            f"common-kpi docs: no published warehouse at {published}; run `make build` first", file=sys.stderr
        )
        return 2
    target_path = args.target_path.resolve()
    returncode = generate_docs(published, target_path)
    if returncode != 0:
        print(f"common-kpi docs: dbt docs generate failed (exit {returncode})", file=sys.stderr)
        return returncode
    scrub_site(target_path)
    source_owners(target_path)
    site = target_path / "index.html"
    print(
        f"\ndbt docs site: {site}\n"
        f"  catalog from: {published}\n"
        f"  browse it:    .venv/bin/dbt docs serve --target-path {target_path} --port 8080\n"
        f"  lineage:      open any model, then the lineage graph; exposures list the dashboard pages "
        f"and the meeting pack"
    )
    return 0

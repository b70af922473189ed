"""The dbt docs site: our overview page and no absolute path of the builder (fast)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from common_kpi import PROJECT_DIR, docs


def test_overview_page_is_where_dbt_looks_for_it() -> None:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    [docs_path] = project["docs-paths"]
    pages = list((PROJECT_DIR / docs_path).glob("*.md"))
    assert any("{% docs __overview__ %}" in page.read_text(encoding="utf-8") for page in pages)


def test_site_shows_no_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw" / "demo"
    raw.mkdir(parents=True)
    monkeypatch.setenv("COMMON_KPI_RAW_PATH", str(raw))
    manifest = {
        "nodes": {"model.x": {"root_path": str(PROJECT_DIR), "original_file_path": "models/x.sql"}},
        "sources": {
            "source.x": {"meta": {"external_location": f"read_csv('{raw}/salesforce/{{name}}.csv')"}}
        },
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (tmp_path / "catalog.json").write_text(json.dumps({"nodes": {}, "sources": {}}), encoding="utf-8")
    assert docs.scrub_site(tmp_path) == 2
    text = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    assert str(PROJECT_DIR) not in text and str(tmp_path) not in text
    scrubbed = json.loads(text)
    assert scrubbed["sources"]["source.x"]["meta"]["external_location"] == (
        "read_csv('$COMMON_KPI_RAW_PATH/salesforce/{name}.csv')"
    )
    assert scrubbed["nodes"]["model.x"]["root_path"] == "."


@pytest.mark.slow
def test_generated_site_has_source_owners_and_no_absolute_path(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`common-kpi docs` on the session's demo build: every source page has its owner (the
    catalog's Owner field and the source's meta), and no file of the site names a folder of
    the machine that built it."""
    import re

    from dashboard_harness import warehouse_under_test

    published = warehouse_under_test(request)[0]
    monkeypatch.setenv("COMMON_KPI_PUBLISHED_PATH", str(published))
    target = tmp_path / "site"
    assert docs.main(["--target-path", str(target)]) == 0
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    assert manifest["sources"], "the site documents the raw sources"
    for unique_id, source in manifest["sources"].items():
        owner = source["meta"].get("owner")
        assert owner, f"{unique_id}: no meta.owner in its _<system>__sources.yml"
        assert catalog["sources"][unique_id]["metadata"]["owner"] == owner, unique_id
    builder_paths = {str(PROJECT_DIR), str(published.parent), str(tmp_path), os.environ.get("HOME", "/root")}
    for name in ("manifest.json", "catalog.json"):
        text = (target / name).read_text(encoding="utf-8")
        for path in builder_paths:
            assert f"{path}/" not in text and f'"{path}"' not in text, f"{name} names {path}"
        assert not re.search(r"""["'(](?:/work|/home|/root|/tmp|/Users)/""", text), (
            f"{name}: an absolute path"
        )

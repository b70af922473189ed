"""The dbt docs site of the session's demo build: our overview page, source owners, no
absolute path of the builder, and every model and column documented (dbt-coverage over the
same site: one `dbt docs generate` for both)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
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


REQUIRED_COVERAGE = 1.0


@pytest.fixture(scope="module")
def demo_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """`common-kpi docs` on the session's demo build: (the published file, the site folder)."""
    from dashboard_harness import warehouse_under_test

    published = warehouse_under_test(request)[0]
    site = tmp_path_factory.mktemp("docs") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COMMON_KPI_PUBLISHED_PATH", str(published))
        assert docs.main(["--target-path", str(site)]) == 0
    return published, site


@pytest.mark.slow
def test_generated_site_has_source_owners_and_no_absolute_path(demo_site: tuple[Path, Path]) -> None:
    """Every source page has its owner (the catalog's Owner field and the source's meta), and
    no file of the site names a folder of the machine that built it."""
    published, target = demo_site
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    assert manifest["sources"], "the site documents the raw sources"
    for unique_id, source in manifest["sources"].items():
        owner = source["meta"].get("owner")
        assert owner, f"{unique_id}: no meta.owner in its _<system>__sources.yml"
        assert catalog["sources"][unique_id]["metadata"]["owner"] == owner, unique_id
    builder_paths = {
        str(PROJECT_DIR),
        str(published.parent),
        str(target.parent),
        os.environ.get("HOME", "/root"),
    }
    for name in ("manifest.json", "catalog.json"):
        text = (target / name).read_text(encoding="utf-8")
        for path in builder_paths:
            assert f"{path}/" not in text and f'"{path}"' not in text, f"{name} names {path}"
        assert not re.search(r"""["'(](?:/work|/home|/root|/tmp|/Users)/""", text), (
            f"{name}: an absolute path"
        )


@pytest.mark.slow
def test_every_model_and_column_is_documented(demo_site: tuple[Path, Path], tmp_path: Path) -> None:
    _, target = demo_site
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    models = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    undocumented_models = sorted(node["name"] for node in models if not node.get("description", "").strip())

    # the site's catalog less the owner-only entries it adds for the raw files (no columns,
    # which dbt-coverage cannot rate): what `dbt docs generate` catalogued
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    catalog["sources"] = {
        unique_id: entry
        for unique_id, entry in catalog["sources"].items()
        if entry["metadata"]["type"] != "external file"
    }
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    (artifacts / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    (artifacts / "manifest.json").write_text((target / "manifest.json").read_text(encoding="utf-8"))
    report = tmp_path / "coverage.json"
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt-coverage")),
            "compute", "doc",
            "--project-dir", str(PROJECT_DIR),
            "--run-artifacts-dir", str(artifacts),
            "--cov-report", str(report),
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    coverage = json.loads(report.read_text(encoding="utf-8"))
    undocumented_columns = [
        f"{table['name']}.{column['name']}"
        for table in coverage["tables"]
        for column in table["columns"]
        if not column["covered"]
    ]

    model_rate = 1 - len(undocumented_models) / len(models)
    print(
        f"documentation: models {len(models) - len(undocumented_models)}/{len(models)} ({model_rate:.1%}), "
        f"columns {coverage['covered']}/{coverage['total']} ({coverage['coverage']:.1%})"
    )
    assert model_rate >= REQUIRED_COVERAGE, f"models without a description: {undocumented_models}"
    assert coverage["coverage"] >= REQUIRED_COVERAGE, (
        f"{len(undocumented_columns)} undocumented column(s): {undocumented_columns[:40]}"
    )

"""Every model and every column is documented: dbt-coverage over the session build."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from common_kpi import PROJECT_DIR
from common_kpi.docs import generate_docs

REQUIRED_COVERAGE = 1.0


@pytest.mark.slow
def test_every_model_and_column_is_documented(built_warehouse: Path, tmp_path: Path) -> None:
    target = built_warehouse.parent / "target"
    assert generate_docs(built_warehouse, target) == 0, "dbt docs generate failed"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    models = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    undocumented_models = sorted(node["name"] for node in models if not node.get("description", "").strip())

    report = tmp_path / "coverage.json"
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt-coverage")),
            "compute", "doc",
            "--project-dir", str(PROJECT_DIR),
            "--run-artifacts-dir", str(target),
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

"""common-kpi: the Python side of the project (data generator, build runner, checks, dashboard)."""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]

"""Stamps that let a plain `dbt build` notice a YAML file edited since it was compiled.

Some files a business edits (`kpi_tree.yml`) reach dbt through files a command generates
(`common-kpi kpi-compile` writes seeds and tests). The generated files are committed, so a
fresh clone builds with plain `dbt build`; beside them the compiler writes a stamp, the md5 of
the source file it compiled. The on-run-start hook `check_compiled_inputs` (macros/) hashes the
source file again and stops the run, naming the command to run, when the two differ.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

STAMP_SUFFIX = ".md5"


def stamp_path(source: str, generated_dir: str) -> Path:
    """Where the stamp of `source` (a path relative to the project) is written."""
    return Path(generated_dir) / f"{Path(source).name}{STAMP_SUFFIX}"


def stamp_content(project_dir: Path, source: str) -> str:
    """The stamp's text: the md5 of the source file's bytes (what DuckDB's md5(read_text) gives)."""
    return hashlib.md5((Path(project_dir) / source).read_bytes()).hexdigest() + "\n"

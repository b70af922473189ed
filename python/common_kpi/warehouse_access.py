"""Opening a published DuckDB file read-only, with a clear message when something holds it.

DuckDB lets many processes open one file read-only, but a client that opens it read-write
(DuckDB's default, and the default of several BI tools) takes an exclusive lock: every other
reader then fails with "Could not set lock on file". This module turns that into a message
that names the process holding the file and says how to open it read-only, instead of a
traceback.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

READ_ONLY_HOWTO = (
    "open it read-only: Python `duckdb.connect(path, read_only=True)`, the DuckDB CLI "
    "`duckdb -readonly <file>`, DBeaver 'Read-only connection', Metabase/Superset/Evidence "
    "the DuckDB connection's read-only option (or `?access_mode=read_only` in the URL)"
)


class WarehouseLockedError(Exception):
    """Another process holds the DuckDB file read-write; the message says who and what to do."""


def lock_holder(error: Exception) -> str:
    """'<program> (PID n)' from DuckDB's lock error, or 'another process'."""
    found = re.search(r"Conflicting lock is held in (.+?) \(PID (\d+)\)", str(error))
    return f"{found.group(1)} (PID {found.group(2)})" if found else "another process"


def is_lock_error(error: Exception) -> bool:
    return "Could not set lock on file" in str(error)


def locked_message(path: Path, error: Exception) -> str:
    return (
        f"{path} is held read-write by {lock_holder(error)}, so nobody else can read it. "
        f"Close that client, or {READ_ONLY_HOWTO}."
    )


def connect_read_only(path: Path) -> Any:
    """A read-only DuckDB connection to `path`; WarehouseLockedError when a writer holds it."""
    import duckdb

    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        if is_lock_error(error):
            raise WarehouseLockedError(locked_message(path, error)) from None
        raise

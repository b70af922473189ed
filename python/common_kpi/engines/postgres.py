"""`common-kpi postgres start|load|stop|status|url`: a local PostgreSQL server for the project.

`start` creates a database cluster in `warehouse/postgres/data` (Debian's PostgreSQL 15,
`initdb`) the first time, starts it on 127.0.0.1:$COMMON_KPI_PG_PORT (default 55432), creates
the database, loads the raw CSV files of $COMMON_KPI_RAW_PATH into one schema per source system
(salesforce, hubspot, crm, finance, ground_truth; every column text, exactly as the files hold
them) and creates the read-only role for BI tools. dbt then builds with
`COMMON_KPI_TARGET=postgres` (output `postgres` in profiles.yml).

Roles: `common_kpi` (owner, used by dbt; password $COMMON_KPI_PG_PASSWORD) and `bi_reader`
(login, password $COMMON_KPI_PG_BI_PASSWORD, may only read the marts schema). Both log in with
a password over TCP (scram-sha-256). As root the server runs as the `postgres` system user
(PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common_kpi import PROJECT_DIR
from common_kpi.engines import RAW_SYSTEMS

DEFAULT_PORT = 55432
DATABASE = "common_kpi"
OWNER_ROLE = "common_kpi"
BI_ROLE = "bi_reader"
# the schema dbt writes the marts into: <target schema>_marts (generate_schema_name default)
MARTS_SCHEMA = "common_kpi_marts"
PG_BIN_CANDIDATES = (Path("/usr/lib/postgresql/15/bin"), Path("/usr/lib/postgresql/16/bin"))


def server_dir() -> Path:
    return Path(os.environ.get("COMMON_KPI_PG_DIR", PROJECT_DIR / "warehouse" / "postgres"))


def port() -> int:
    return int(os.environ.get("COMMON_KPI_PG_PORT", DEFAULT_PORT))


def owner_password() -> str:
    return os.environ.get("COMMON_KPI_PG_PASSWORD", "common_kpi")


def bi_password() -> str:
    return os.environ.get("COMMON_KPI_PG_BI_PASSWORD", "bi_reader")


def pg_bin(name: str) -> str:
    """Path of a PostgreSQL server program (Debian keeps them out of PATH)."""
    for folder in PG_BIN_CANDIDATES:
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"postgres: {name} not found. Install the server: apt-get install postgresql-15")
    return found


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the postgres system user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _chown_to_server_user(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, user="postgres", group="postgres")


def is_running() -> bool:
    data_dir = server_dir() / "data"
    if not (data_dir / "postmaster.pid").exists():
        return False
    result = subprocess.run(
        _as_server_user([pg_bin("pg_ctl"), "status", "-D", str(data_dir)]),
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0


def init_cluster() -> None:
    folder = server_dir()
    data_dir = folder / "data"
    if (data_dir / "PG_VERSION").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    _chown_to_server_user(folder)
    password_file = folder / "owner_password"
    password_file.write_text(owner_password() + "\n")
    _chown_to_server_user(password_file)
    subprocess.run(
        _as_server_user(
            [
                pg_bin("initdb"),
                "-D",
                str(data_dir),
                "-U",
                OWNER_ROLE,
                "--pwfile",
                str(password_file),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    password_file.unlink()


def start() -> None:
    init_cluster()
    if is_running():
        return
    folder = server_dir()
    data_dir = folder / "data"
    log_file = folder / "server.log"
    options = f"-p {port()} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder}"
    # shared machines: keep the server small (the build runs a few threads at a time)
    options += " -c shared_buffers=256MB -c work_mem=64MB -c max_connections=40 -c fsync=off"
    options += " -c timezone=UTC"
    subprocess.run(
        _as_server_user(
            [
                pg_bin("pg_ctl"),
                "start",
                "-D",
                str(data_dir),
                "-l",
                str(log_file),
                "-w",
                "-t",
                "60",
                "-o",
                options,
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def stop() -> None:
    if not is_running():
        return
    subprocess.run(
        _as_server_user([pg_bin("pg_ctl"), "stop", "-D", str(server_dir() / "data"), "-m", "fast"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def connect(database: str = DATABASE, user: str = OWNER_ROLE, password: str | None = None):
    """A psycopg2 connection to the local server (autocommit)."""
    import psycopg2

    connection = psycopg2.connect(
        host="127.0.0.1",
        port=port(),
        dbname=database,
        user=user,
        password=owner_password() if password is None else password,
    )
    connection.autocommit = True
    return connection


def create_database() -> None:
    connection = connect(database="postgres")
    with connection.cursor() as cursor:
        cursor.execute("select 1 from pg_database where datname = %s", (DATABASE,))
        if cursor.fetchone() is None:
            cursor.execute(f'create database "{DATABASE}"')
    connection.close()


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def load_raw(raw_path: Path) -> dict[str, int]:
    """Load every <system>/<table>.csv under raw_path into <system>.<table>, all columns text.

    Each table is dropped and loaded again, so a load is repeatable. Returns rows per table.
    """
    if not raw_path.is_dir():
        raise SystemExit(f"postgres: raw data folder {raw_path} not found (COMMON_KPI_RAW_PATH)")
    loaded: dict[str, int] = {}
    connection = connect()
    with connection.cursor() as cursor:
        for system in RAW_SYSTEMS:
            files = sorted((raw_path / system).glob("*.csv"))
            if not files:
                continue
            cursor.execute(f"create schema if not exists {_quote(system)}")
            for csv_file in files:
                with csv_file.open(encoding="utf-8", newline="") as handle:
                    header = next(csv.reader(handle))
                table = f"{_quote(system)}.{_quote(csv_file.stem)}"
                columns = ", ".join(f"{_quote(name)} text" for name in header)
                cursor.execute(f"drop table if exists {table} cascade")
                cursor.execute(f"create table {table} ({columns})")
                with csv_file.open(encoding="utf-8", newline="") as handle:
                    cursor.copy_expert(f"copy {table} from stdin with (format csv, header true)", handle)
                cursor.execute(f"select count(*) from {table}")
                loaded[f"{system}.{csv_file.stem}"] = int(cursor.fetchone()[0])
    connection.close()
    if not loaded:
        raise SystemExit(f"postgres: no <system>/<table>.csv files under {raw_path}")
    return loaded


def create_bi_role() -> None:
    """bi_reader: may connect and read the marts schema (now and every later build), nothing else."""
    connection = connect()
    with connection.cursor() as cursor:
        cursor.execute("select 1 from pg_roles where rolname = %s", (BI_ROLE,))
        if cursor.fetchone() is None:
            cursor.execute(f"create role {BI_ROLE} login password %s", (bi_password(),))
        else:
            cursor.execute(f"alter role {BI_ROLE} login password %s", (bi_password(),))
        cursor.execute(f"revoke create on schema public from {BI_ROLE}")
        cursor.execute(f'grant connect on database "{DATABASE}" to {BI_ROLE}')
        cursor.execute(f"alter role {BI_ROLE} set default_transaction_read_only = on")
        cursor.execute(f"create schema if not exists {MARTS_SCHEMA}")
        cursor.execute(f"grant usage on schema {MARTS_SCHEMA} to {BI_ROLE}")
        cursor.execute(f"grant select on all tables in schema {MARTS_SCHEMA} to {BI_ROLE}")
        cursor.execute(
            f"alter default privileges for role {OWNER_ROLE} in schema {MARTS_SCHEMA} "
            f"grant select on tables to {BI_ROLE}"
        )
    connection.close()


def check_bi_role(table: str = "kpi_tree") -> list[str]:
    """What is wrong with the BI role: it must read a mart and be refused writes and staging."""
    import psycopg2

    problems: list[str] = []
    connection = connect(user=BI_ROLE, password=bi_password())
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"select count(*) from {MARTS_SCHEMA}.{table}")
        except psycopg2.Error as error:
            problems.append(f"{BI_ROLE} cannot read {MARTS_SCHEMA}.{table}: {error.pgerror}")
        for statement in (
            f"create table {MARTS_SCHEMA}.bi_reader_probe (x integer)",
            f"delete from {MARTS_SCHEMA}.{table}",
            "select count(*) from common_kpi_staging.stg_quarantine",
        ):
            try:
                cursor.execute(statement)
                problems.append(f"{BI_ROLE} may run: {statement}")
            except psycopg2.Error:
                pass
    connection.close()
    return problems


def url(user: str = BI_ROLE) -> str:
    password = bi_password() if user == BI_ROLE else owner_password()
    return f"postgresql://{user}:{password}@127.0.0.1:{port()}/{DATABASE}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi postgres", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "action",
        choices=["start", "load", "stop", "status", "url", "destroy"],
        help="start: init if needed, start, create the database, load raw files, create the BI role; "
        "load: reload the raw files; stop; status; url: the BI connection URL; destroy: stop and delete",
    )
    parser.add_argument(
        "--raw-path",
        type=Path,
        default=Path(os.environ.get("COMMON_KPI_RAW_PATH", PROJECT_DIR / "data" / "raw" / "demo")),
    )
    args = parser.parse_args(argv)
    if args.action in {"start", "load"}:
        if os.environ.get("COMMON_KPI_RAW_FORMAT", "csv") != "csv":
            print("postgres: only CSV raw files are loaded (COMMON_KPI_RAW_FORMAT=csv)", file=sys.stderr)
            return 2
        started = time.perf_counter()
        start()
        create_database()
        loaded = load_raw(args.raw_path)
        create_bi_role()
        rows = sum(loaded.values())
        print(
            f"postgres: server on 127.0.0.1:{port()} ({server_dir()}), database {DATABASE}, "
            f"{len(loaded)} raw tables / {rows:,} rows loaded from {args.raw_path} "
            f"in {time.perf_counter() - started:.1f} s; BI: {url()}"
        )
    elif args.action == "stop":
        stop()
        print("postgres: stopped")
    elif args.action == "status":
        running = is_running()
        print(f"postgres: {'running on 127.0.0.1:' + str(port()) if running else 'not running'}")
        return 0 if running else 1
    elif args.action == "url":
        print(url())
    elif args.action == "destroy":
        stop()
        shutil.rmtree(server_dir(), ignore_errors=True)
        print(f"postgres: removed {server_dir()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

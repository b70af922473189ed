"""What a build may publish and who sees what: raw encodings, the plausibility gate on the demo
warehouse, the marts-only BI file (schemas, the email hash, personal data in free text) and
the webhook secret. The demo warehouse is the session build (conftest.built_warehouse)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from common_kpi import alerts
from common_kpi.bi_export import EMAIL_MASK, PHONE_MASK, export_bi
from common_kpi.publish_gate import GateSettings, compare_catalogs
from common_kpi.raw_contract import check_raw_files
from common_kpi.raw_encoding import check_csv_encoding

HEADER = "customer_id,customer_name,industry\n"
ROWS = ["C001,株式会社テスト,製造業\n", "C002,サンプル商事株式会社,卸売業\n", "C003,ABC Corp,IT\n"]


# --- raw encodings ------------------------------------------------------------------------------


def test_a_utf8_file_passes(tmp_path: Path) -> None:
    file = tmp_path / "customers.csv"
    file.write_text(HEADER + "".join(ROWS), encoding="utf-8-sig")
    assert check_csv_encoding("crm.customers", file) is None


def test_a_cp932_file_is_named_with_its_encoding_and_the_setting(tmp_path: Path) -> None:
    file = tmp_path / "customers.csv"
    file.write_bytes((HEADER + "".join(ROWS)).encode("cp932"))

    message = check_csv_encoding("crm.customers", file)

    assert message is not None
    assert message.startswith(f"crm.customers: file {file} is not UTF-8: its text is CP932 (Shift_JIS")
    assert "first non-UTF-8 byte on line 2" in message
    assert "'CSV UTF-8 (comma delimited)'" in message and "iconv -f CP932 -t UTF-8" in message


def test_one_cp932_row_in_a_utf8_file_names_table_line_and_column(tmp_path: Path) -> None:
    file = tmp_path / "customers.csv"
    file.write_bytes(
        (HEADER + ROWS[0] + ROWS[2]).encode("utf-8")
        + ROWS[1].encode("cp932")
        + "C004,東京物産,小売業\n".encode()
    )

    message = check_csv_encoding("crm.customers", file)

    assert message == (
        f"crm.customers: line 4, column 'customer_name' of {file} is not UTF-8 (the bytes read as "
        "CP932 (Shift_JIS); the rest of the file is UTF-8): one row was written in another encoding. "
        "Correct that row in the source system and export again, or re-encode that line as UTF-8."
    )


def test_the_raw_check_stops_on_a_cp932_file_instead_of_a_traceback(
    tmp_path: Path, demo_raw_path: Path
) -> None:
    root = tmp_path / "raw"
    for source in demo_raw_path.iterdir():
        if source.is_dir():
            (root / source.name).mkdir(parents=True)
            for file in source.iterdir():
                (root / source.name / file.name).symlink_to(file)
    customers = root / "crm" / "customers.csv"
    text = (demo_raw_path / "crm" / "customers.csv").read_text(encoding="utf-8-sig")
    customers.unlink()
    customers.write_bytes(text.encode("cp932", errors="replace"))

    report = check_raw_files(root, "csv")

    assert len(report.errors) == 1
    assert report.errors[0].startswith(f"crm.customers: file {customers} is not UTF-8: its text is CP932")


# --- the plausibility gate on the demo warehouse --------------------------------------------------


@pytest.fixture()
def demo_copy(built_warehouse: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "new_build.duckdb"
    shutil.copy2(built_warehouse, copy)
    return copy


def _compare(new_build: Path, published: Path, settings: GateSettings | None = None):
    with duckdb.connect(str(new_build)) as connection:
        connection.execute(f"attach '{published}' as published (read_only)")
        catalog = connection.execute("select current_database()").fetchone()[0]
        return compare_catalogs(connection, catalog, "published", settings or GateSettings())


def test_an_identical_rebuild_passes_the_gate(built_warehouse: Path, demo_copy: Path) -> None:
    report = _compare(demo_copy, built_warehouse)
    assert report.passed, report.summary()
    assert report.tables_compared > 50 and report.kpi_values_compared > 100
    assert report.table_changes == [] and report.kpi_values_changed == []


def test_an_empty_core_table_is_refused(built_warehouse: Path, demo_copy: Path) -> None:
    with duckdb.connect(str(demo_copy)) as connection:
        (contracts,) = connection.execute("select count(*) from main_marts.fct_contracts").fetchone()
        connection.execute("delete from main_marts.fct_contracts")

    report = _compare(demo_copy, built_warehouse)

    assert not report.passed
    assert (
        f"main_marts.fct_contracts: {contracts:,} → 0 rows (-100%): the table is empty now" in report.refusals
    )


def test_a_volume_jump_beyond_the_share_is_refused_and_small_moves_pass(
    built_warehouse: Path, demo_copy: Path
) -> None:
    with duckdb.connect(str(demo_copy)) as connection:
        (leads,) = connection.execute("select count(*) from main_marts.fct_lead_funnel").fetchone()
        connection.execute("insert into main_marts.fct_lead_funnel select * from main_marts.fct_lead_funnel")

    doubled = _compare(demo_copy, built_warehouse, GateSettings(max_volume_change=0.5))
    allowed = _compare(demo_copy, built_warehouse, GateSettings(max_volume_change=1.0))

    assert [r for r in doubled.refusals if r.startswith("main_marts.fct_lead_funnel")] == [
        f"main_marts.fct_lead_funnel: {leads:,} → {2 * leads:,} rows (+100%): more than the allowed ±50%"
    ]
    assert allowed.passed, allowed.summary()


def test_kpi_values_lost_beyond_the_share_are_refused(built_warehouse: Path, demo_copy: Path) -> None:
    with duckdb.connect(str(demo_copy)) as connection:
        connection.execute(
            "update main_marts.kpi_tree set actual = null where month_start_date >= date '2025-01-01'"
        )

    report = _compare(demo_copy, built_warehouse)

    assert any("published KPI values have no value in the new build" in r for r in report.refusals)
    assert report.kpi_values_lost


# --- the BI file ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bi_file(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    path = tmp_path_factory.mktemp("bi") / "common_kpi.duckdb"
    return path, export_bi(built_warehouse, path)


def test_a_bi_connection_sees_the_marts_and_reference_seeds_only(bi_file, built_warehouse: Path) -> None:
    path, _ = bi_file
    with (
        duckdb.connect(str(path), read_only=True) as bi,
        duckdb.connect(str(built_warehouse), read_only=True) as full,
    ):
        schemas = {
            row[0]
            for row in bi.execute(
                "select distinct table_schema from information_schema.tables "
                "where table_catalog = current_database()"
            ).fetchall()
        }
        views = bi.execute(
            "select count(*) from information_schema.tables where table_type = 'VIEW' "
            "and table_catalog = current_database()"
        ).fetchone()[0]
        marts = full.execute(
            "select count(*) from information_schema.tables "
            "where table_schema in ('main_marts', 'main_reference') and table_type = 'BASE TABLE'"
        ).fetchone()[0]
        bi_tables = bi.execute(
            "select count(*) from information_schema.tables where table_catalog = current_database()"
        ).fetchone()[0]
    # The reference seeds label codes (departments, channels, ABM tiers) for the readers.
    assert schemas == {"main_marts", "main_reference"}
    assert views == 0
    assert bi_tables == marts


def test_the_unkeyed_email_hash_does_not_reach_bi(bi_file, built_warehouse: Path) -> None:
    path, report = bi_file
    with duckdb.connect(str(path), read_only=True) as bi:
        columns = [row[0] for row in bi.execute("describe main_marts.dim_people").fetchall()]
        (people,) = bi.execute("select count(*) from main_marts.dim_people").fetchone()
    with duckdb.connect(str(built_warehouse), read_only=True) as full:
        (published_people,) = full.execute("select count(*) from main_marts.dim_people").fetchone()
    assert "email_hash" not in columns and "person_id" in columns
    assert report.dropped_columns == ["dim_people.email_hash"]
    assert people == published_people


def test_emails_and_phones_in_free_text_are_masked_before_bi_sees_them(tmp_path: Path) -> None:
    build = tmp_path / "build.duckdb"
    with duckdb.connect(str(build)) as connection:
        connection.execute("create schema main_marts")
        connection.execute("create schema main_staging")
        connection.execute(
            "create table main_marts.fct_opportunities as select * from (values "
            "('0065g00000AbCdE', '山田様 ０９０-１２３４-５６７８ 見積', 100), "
            "('0065g00000AbCdF', 'taro.yamada@example.co.jp 導入検討', 200), "
            "('0065g00000AbCdG', 'ABC社 2025-04 導入 (法人番号 1234567890123)', 300), "
            "('0065g00000AbCdH', '代表 03 1234 5678 へ折り返し', 400)"
            ") as t(opportunity_id, opportunity_name, amount_jpy)"
        )
        connection.execute("create table main_staging.stg_people as select 'a@b.jp' as email")

    report = export_bi(build, tmp_path / "bi.duckdb")

    with duckdb.connect(str(tmp_path / "bi.duckdb"), read_only=True) as bi:
        names = dict(
            bi.execute("select opportunity_id, opportunity_name from main_marts.fct_opportunities").fetchall()
        )
        tables = bi.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
        ).fetchall()
    assert names == {
        "0065g00000AbCdE": f"山田様 {PHONE_MASK} 見積",
        "0065g00000AbCdF": f"{EMAIL_MASK} 導入検討",
        "0065g00000AbCdG": "ABC社 2025-04 導入 (法人番号 1234567890123)",
        "0065g00000AbCdH": f"代表 {PHONE_MASK} へ折り返し",
    }
    assert report.masked == {"fct_opportunities.opportunity_name": 3}
    assert tables == [("main_marts.fct_opportunities",)]
    with duckdb.connect(str(build), read_only=True) as source:
        assert (
            source.execute(
                "select count(*) from main_marts.fct_opportunities "
                "where opportunity_name like '%@example.co.jp%'"
            ).fetchone()[0]
            == 1
        )


# --- the webhook secret ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "hooks.slack.com/services/T000/B000/SECRETTOKEN",
        "https://hooks.slack.com:SECRETTOKEN/services",
        "https://hooks.slack.com/services/SECRETTOKEN\n",
        "htps://hooks.slack.com/services/SECRETTOKEN",
    ],
)
def test_a_malformed_webhook_url_is_never_printed(url: str) -> None:
    with pytest.raises((alerts.WebhookError, alerts.MalformedUrl)) as caught:
        alerts.post_webhook(url, {"text": "x"}, timeout=1)
    assert "SECRETTOKEN" not in str(caught.value)
    assert alerts.WEBHOOK_ENV in str(caught.value) or "could not be reached" in str(caught.value)


def test_alerts_command_with_a_malformed_webhook_url_prints_no_secret(
    built_warehouse: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(alerts.WEBHOOK_ENV, "https://hooks.slack.com:SECRETTOKEN/services/T0")

    code = alerts.main(["--path", str(built_warehouse)])

    out = capsys.readouterr()
    assert code == 2
    assert "SECRETTOKEN" not in out.out + out.err
    assert "is not an absolute http(s) URL" in out.err

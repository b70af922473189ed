"""Raw CSV files must be UTF-8: say which file, row and encoding when one is not.

Japanese exports often are not: a CRM export saved from Excel as "CSV (comma delimited)" on
Japanese Windows is CP932 (Microsoft's Shift_JIS), and a row pasted in from such a file can
sit inside an otherwise UTF-8 file. DuckDB reads UTF-8 only (it would stop deep inside a
staging view) and Python raises a bare UnicodeDecodeError. This check reads each file once,
in line-aligned chunks, before dbt runs, and returns one message that names the table, the
file, the encoding found and what to change (the exporter's setting, or a conversion).
"""

from __future__ import annotations

import csv
import io
import shlex
from pathlib import Path

CHUNK_BYTES = 16 * 1024 * 1024
JAPANESE_LEGACY = "cp932"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF8_SETTING = (
    "save the file as UTF-8 (Excel: 'CSV UTF-8 (comma delimited)'; Salesforce Data Loader: "
    "Settings > 'Read all CSVs with UTF-8 encoding'/'Write all CSVs with UTF-8 encoding'; "
    "other exporters: the character-code / 文字コード setting = UTF-8)"
)


def _decodes_as(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _column_name(file: Path, line_bytes: bytes, byte_in_line: int) -> str | None:
    """The header name of the column holding the byte, when the line parses simply."""
    with file.open("rb") as handle:
        header = next(csv.reader(io.StringIO(handle.readline().decode("utf-8-sig", "replace"))), [])
    prefix = line_bytes[:byte_in_line].decode("utf-8", "replace")
    if '"' in prefix:
        return None
    index = prefix.count(",")
    return header[index] if index < len(header) else None


def convert_command(file: Path, encoding: str) -> str:
    quoted = shlex.quote(str(file))
    return f"iconv -f {encoding.upper()} -t UTF-8 {quoted} > {quoted}.utf8 && mv {quoted}.utf8 {quoted}"


def check_csv_encoding(name: str, file: Path) -> str | None:
    """None when `file` is UTF-8 (with or without BOM); else the message naming the problem."""
    with file.open("rb") as handle:
        if handle.read(2) in UTF16_BOMS:
            return (
                f"{name}: file {file} is UTF-16 (Excel's 'Unicode text'), not UTF-8: {UTF8_SETTING}, "
                f"or convert it: {convert_command(file, 'utf-16')}"
            )
        handle.seek(0)
        line = 1
        carry = b""
        saw_utf8_text = False
        while True:
            chunk = handle.read(CHUNK_BYTES)
            data = carry + chunk
            if chunk:
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    carry = data
                    continue
                piece, carry = data[:cut], data[cut:]
            else:
                piece, carry = data, b""
            try:
                piece.decode("utf-8")
            except UnicodeDecodeError as error:
                return _describe(name, file, piece, error.start, line, saw_utf8_text)
            saw_utf8_text = saw_utf8_text or not piece.isascii()
            line += piece.count(b"\n")
            if not chunk:
                return None


def _describe(name: str, file: Path, piece: bytes, start: int, first_line: int, saw_utf8_text: bool) -> str:
    line_start = piece.rfind(b"\n", 0, start) + 1
    line_end = piece.find(b"\n", start)
    line_bytes = piece[line_start : line_end if line_end >= 0 else len(piece)]
    line = first_line + piece.count(b"\n", 0, start)
    before_is_ascii = piece[:line_start].isascii()
    if not saw_utf8_text and before_is_ascii and _decodes_as(file.read_bytes(), JAPANESE_LEGACY):
        return (
            f"{name}: file {file} is not UTF-8: its text is CP932 (Shift_JIS, what Excel writes for "
            f"'CSV (comma delimited)' on Japanese Windows; first non-UTF-8 byte on line {line}). "
            f"Change the export setting: {UTF8_SETTING}; or convert it: {convert_command(file, 'cp932')}"
        )
    found = "CP932 (Shift_JIS)" if _decodes_as(line_bytes, JAPANESE_LEGACY) else "an unknown encoding"
    column = _column_name(file, line_bytes, start - line_start)
    where = f"line {line}" + (f", column {column!r}" if column else "")
    return (
        f"{name}: {where} of {file} is not UTF-8 (the bytes read as {found}; the rest of the file "
        f"is UTF-8): one row was written in another encoding. Correct that row in the source "
        f"system and export again, or re-encode that line as UTF-8."
    )

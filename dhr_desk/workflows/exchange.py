"""The exchange format: a whole store as one versioned JSON document, and back.

Used to move a store between machines or between the embedded file and a PostgreSQL server, to
archive it in a readable form, and to migrate from another system. ``docs/exchange-format.md``
describes the format for people; ``resources/exchange-format.schema.json`` is its JSON Schema,
generated from the models by :func:`build_schema` (regenerate it with
``python -m dhr_desk.workflows.exchange --write-schema``).

The design is table-driven: every table of ``Base.metadata`` and every column in it is written,
in dependency order, with the values encoded by column type. A table or column added to the
models is covered without a change here; a column *type* this module does not know makes
export, import and schema generation fail with :class:`UnsupportedColumnType` instead of
mangling the values.

The caller owns the session and the transaction: :func:`import_store` writes nothing when it
raises, and leaves committing to the caller when it returns.
"""

from __future__ import annotations

import argparse
import base64
import copy
import datetime as dt
import enum
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

from jsonschema import (  # type: ignore[import-untyped]
    Draft202012Validator,
    FormatChecker,
    ValidationError,
)
from jsonschema.validators import extend  # type: ignore[import-untyped]
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Enum,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TextClause,
    UniqueConstraint,
    create_engine,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import BigInteger

import dhr_desk.models
from dhr_desk.models.base import Base, UtcDateTime
from dhr_desk.store.errors import NothingDone
from dhr_desk.store.schema import current_revision

assert dhr_desk.models  # every model module is imported, so the metadata is complete

#: The value of the top-level ``format`` field: what kind of file this is.
FORMAT: Final = "dhr-desk-exchange"
#: The newest format version this build writes and reads. Bump it, and add an upgrade step to
#: ``_UPGRADES``, whenever the generated schema changes in a way an older file would not meet.
FORMAT_VERSION: Final = 5

SCHEMA_FILE: Final = (
    Path(__file__).resolve().parents[2] / "resources" / "exchange-format.schema.json"
)
SCHEMA_ID: Final = f"urn:dhr-desk:exchange-format:{FORMAT_VERSION}"

DATE_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
INSTANT_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$"
BASE64_PATTERN: Final = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
_DATE_SHAPE = re.compile(DATE_PATTERN)
_INSTANT_SHAPE = re.compile(INSTANT_PATTERN)

#: Rows per INSERT batch, so a table of large documents is not decoded all at once.
_BATCH = 200

ColumnKind = Literal["integer", "boolean", "text", "enum", "date", "instant", "binary"]
PathPart = str | int
_RawProblem = tuple[tuple[PathPart, ...], str]

_INTEGER_RANGES: Final[dict[str, tuple[int, int]]] = {
    "small": (-(2**15), 2**15 - 1),
    "regular": (-(2**31), 2**31 - 1),
    "big": (-(2**63), 2**63 - 1),
}


# --------------------------------------------------------------------------------------------
# Results and errors


@dataclass(frozen=True)
class ExchangeProblem:
    """One thing wrong with an exchange file: where (a JSON path such as
    ``$.tables.reviews[3].opened_on``) and why, in plain English."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class ExchangeError(NothingDone):
    """The exchange file cannot be used; ``problems`` lists every reason. Nothing was imported."""

    title = "The exchange file cannot be used"
    exit_code = 65  # input not accepted, like every other bad input on the command line

    def __init__(self, problems: Sequence[ExchangeProblem]) -> None:
        self.problems: tuple[ExchangeProblem, ...] = tuple(problems)
        super().__init__(format_problems(self.problems))


class StoreNotEmpty(NothingDone):
    """An exchange file is imported only into an empty store; this one holds data."""

    title = "The database is not empty"


class UnsupportedColumnType(TypeError):
    """A column whose type the exchange format has no encoding for (a programming error)."""


@dataclass(frozen=True)
class ImportSummary:
    """What an import inserted: rows per table, in the order they were inserted."""

    format_version: int
    schema_revision: str
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def format_problems(problems: Sequence[ExchangeProblem]) -> str:
    """The message for a list of problems: one summary line, then one line per problem."""
    if len(problems) == 1:
        head = "the file has a problem, so nothing was imported:"
    else:
        head = f"the file has {len(problems)} problems, so nothing was imported:"
    return "\n".join([head, *(f"  {problem}" for problem in problems)])


# --------------------------------------------------------------------------------------------
# Column types


def column_kind(column: Column[Any]) -> ColumnKind:
    """How a column's values are written in the file; raises for a type with no encoding."""
    column_type = column.type
    if isinstance(column_type, UtcDateTime):
        return "instant"
    if isinstance(column_type, Enum):  # before String: Enum is a String
        return "enum"
    if isinstance(column_type, Boolean):
        return "boolean"
    if isinstance(column_type, Integer):
        return "integer"
    if isinstance(column_type, String):  # String, Text, Unicode, ...
        return "text"
    if isinstance(column_type, LargeBinary):
        return "binary"
    if isinstance(column_type, Date):
        return "date"
    raise UnsupportedColumnType(
        f"{column.table.name}.{column.name}: the exchange format has no encoding for "
        f"{column_type!r}; teach dhr_desk/workflows/exchange.py to write and read it "
        "(and bump FORMAT_VERSION) before using this type"
    )


def _integer_range(column: Column[Any]) -> tuple[int, int]:
    if isinstance(column.type, BigInteger):
        return _INTEGER_RANGES["big"]
    if isinstance(column.type, SmallInteger):
        return _INTEGER_RANGES["small"]
    return _INTEGER_RANGES["regular"]


def _enum_values(column: Column[Any]) -> list[str]:
    assert isinstance(column.type, Enum)
    return [str(value) for value in column.type.enums]


def _encode(kind: ColumnKind, value: Any) -> Any:
    """A database value as it is written in the file."""
    if value is None:
        return None
    if kind == "instant":
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:  # UtcDateTime hands back aware values; be safe all the same
            value = value.replace(tzinfo=dt.UTC)
        naive = value.astimezone(dt.UTC).replace(tzinfo=None)
        return naive.isoformat(timespec="microseconds") + "Z"
    if kind == "date":
        assert isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        return value.isoformat()
    if kind == "enum":
        return str(value.value) if isinstance(value, enum.Enum) else str(value)
    if kind == "binary":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "boolean":
        return bool(value)
    if kind == "integer":
        return int(value)
    return str(value)


def _decode(kind: ColumnKind, column: Column[Any], value: Any) -> Any:
    """A (validated) file value as the database column takes it."""
    if value is None:
        return None
    if kind == "instant":
        return dt.datetime.fromisoformat(value.removesuffix("Z")).replace(tzinfo=dt.UTC)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "enum":
        assert isinstance(column.type, Enum)
        enum_class = column.type.enum_class
        return enum_class(value) if enum_class is not None else value
    if kind == "binary":
        return base64.b64decode(value, validate=True)
    return value


def _value_has_type(kind: ColumnKind, value: object) -> bool:
    """Whether a file value has the JSON type of its column (its form is checked elsewhere)."""
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return isinstance(value, str)


def _tables() -> list[Table]:
    """Every table, parents before children (the order rows are written and inserted)."""
    return list(Base.metadata.sorted_tables)


# --------------------------------------------------------------------------------------------
# The JSON Schema, generated from the metadata


def _column_schema(column: Column[Any]) -> dict[str, Any]:
    kind = column_kind(column)
    json_type = {"integer": "integer", "boolean": "boolean"}.get(kind, "string")
    schema: dict[str, Any] = {"type": [json_type, "null"] if column.nullable else json_type}
    if kind == "integer":
        low, high = _integer_range(column)
        schema["minimum"] = low
        schema["maximum"] = high
    elif kind == "text":
        length = getattr(column.type, "length", None)
        if length is not None:
            schema["maxLength"] = length
    elif kind == "enum":
        values: list[str | None] = list(_enum_values(column))
        schema["enum"] = [*values, None] if column.nullable else values
    elif kind == "date":
        schema["format"] = "date"
        schema["pattern"] = DATE_PATTERN
    elif kind == "instant":
        schema["format"] = "date-time"
        schema["pattern"] = INSTANT_PATTERN
    elif kind == "binary":
        schema["contentEncoding"] = "base64"
        schema["pattern"] = BASE64_PATTERN
    notes: list[str] = []
    if column.primary_key:
        single = len(column.table.primary_key.columns) == 1
        notes.append("Primary key." if single else "Part of the primary key.")
    for foreign_key in sorted(column.foreign_keys, key=lambda fk: fk.target_fullname):
        notes.append(f"Refers to {foreign_key.target_fullname}.")
    if notes:
        schema["description"] = " ".join(notes)
    return schema


def _unique_sets(table: Table) -> list[tuple[Column[Any], ...]]:
    """The column sets that must be unique together (besides the primary key)."""
    sets: list[tuple[Column[Any], ...]] = []
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            sets.append(tuple(constraint.columns))
    for index in table.indexes:
        columns = tuple(index.columns)
        if index.unique and columns and len(columns) == len(index.expressions):
            sets.append(columns)
    return sorted(sets, key=lambda columns: [c.name for c in columns])


def _table_schema(table: Table) -> dict[str, Any]:
    description = [f"One row of the {table.name} table."]
    description.append("Primary key: " + ", ".join(c.name for c in table.primary_key) + ".")
    for columns in _unique_sets(table):
        names = ", ".join(c.name for c in columns)
        description.append(
            f"Unique: {names}." if len(columns) == 1 else f"Unique together: {names}."
        )
    for check in _rule_checks(table):
        description.append(f"Rule {check.name}: {_rule_sql(check)}.")
    return {
        "title": table.name,
        "description": " ".join(description),
        "type": "object",
        "properties": {column.name: _column_schema(column) for column in table.columns},
        "required": [column.name for column in table.columns],
        "additionalProperties": False,
    }


def build_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the current format version, from the metadata."""
    tables = _tables()
    instant = {"type": "string", "format": "date-time", "pattern": INSTANT_PATTERN}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"dhr-desk exchange file, format version {FORMAT_VERSION}",
        "description": (
            "A whole dhr-desk store as JSON: every table, every row, every column. "
            "Generated from the data model by dhr_desk.workflows.exchange.build_schema; "
            "see docs/exchange-format.md. Foreign keys, unique keys and the rules named in "
            "each table's description are checked by dhr-desk on import as well."
        ),
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"type": "integer", "const": FORMAT_VERSION},
            "schema_revision": {"type": "string", "minLength": 1, "maxLength": 32},
            "data_as_of": instant,
            "tables": {
                "type": "object",
                "properties": {
                    table.name: {"type": "array", "items": {"$ref": f"#/$defs/{table.name}"}}
                    for table in tables
                },
                "required": [table.name for table in tables],
                "additionalProperties": False,
            },
        },
        "required": ["format", "format_version", "schema_revision", "data_as_of", "tables"],
        "additionalProperties": False,
        "$defs": {table.name: _table_schema(table) for table in tables},
    }


def schema_text() -> str:
    """The schema as it is committed in ``resources/`` (stable key order, trailing newline)."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_FILE) -> Path:
    """Regenerate the committed schema file."""
    path.write_text(schema_text(), encoding="utf-8", newline="\n")
    return path


def _is_real_date(value: object) -> bool:
    if not isinstance(value, str) or not _DATE_SHAPE.match(value):
        return True  # the type or the pattern reports it
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_real_instant(value: object) -> bool:
    if not isinstance(value, str) or not _INSTANT_SHAPE.match(value):
        return True
    try:
        dt.datetime.fromisoformat(value.removesuffix("Z"))
    except ValueError:
        return False
    return True


def _is_whole_number(checker: object, instance: object) -> bool:
    """JSON Schema counts 3.0 as an integer; a database id must be written as 3."""
    return isinstance(instance, int) and not isinstance(instance, bool)


@cache
def _validator() -> Any:
    formats = FormatChecker(formats=())
    formats.checks("date")(_is_real_date)
    formats.checks("date-time")(_is_real_instant)
    strict = extend(
        Draft202012Validator,
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_whole_number),
    )
    return strict(build_schema(), format_checker=formats)


# --------------------------------------------------------------------------------------------
# Export


def _begin_snapshot(session: Session) -> None:
    """Read every table from one snapshot where the session allows it.

    PostgreSQL: REPEATABLE READ, if the session has not begun a transaction yet (a session
    already in one keeps its isolation level). SQLite: an explicit BEGIN, if the connection is
    not in a transaction yet.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        if not session.in_transaction():
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    elif dialect == "sqlite":
        # pysqlite begins a transaction only before a write; BEGIN here makes every SELECT
        # below read the same WAL snapshot. The caller's commit or rollback ends it.
        connection = session.connection()
        dbapi = connection.connection.dbapi_connection
        if dbapi is not None and not getattr(dbapi, "in_transaction", True):
            connection.exec_driver_sql("BEGIN")


def _schema_revision(session: Session) -> str:
    revision = current_revision(session.connection())
    if revision is None:
        raise NothingDone(
            "The database has no schema revision (no alembic_version row), so it cannot be "
            "exported. Open it with dhr-desk first, which creates or upgrades the schema."
        )
    return revision


def _utc_text(instant: dt.datetime) -> str:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("data_as_of needs a timezone-aware datetime (use datetime.now(UTC))")
    return str(_encode("instant", instant))


def _export_table(session: Session, table: Table) -> list[dict[str, Any]]:
    kinds = [(column.name, column_kind(column)) for column in table.columns]
    key_names = [column.name for column in table.primary_key]
    rows = [
        {name: _encode(kind, record[name]) for name, kind in kinds}
        for record in session.execute(select(table)).mappings()
    ]
    # Sorted here, not by ORDER BY, so text keys sort the same (by code point) on every backend.
    rows.sort(key=lambda row: tuple(row[name] for name in key_names))
    return [dict(sorted(row.items())) for row in rows]


def export_store(session: Session, *, data_as_of: dt.datetime | None = None) -> dict[str, Any]:
    """Every row of every table, as an exchange document (see :func:`dumps`).

    ``data_as_of`` defaults to the newest instant the data records (so exporting the same data
    twice, or after a round trip through import, gives the same file byte for byte), or the
    start of 1970 for a store that records none. Call it on a fresh session: it reads all
    tables from one snapshot.
    """
    _begin_snapshot(session)
    tables = {table.name: _export_table(session, table) for table in _tables()}
    if data_as_of is not None:
        stamp = _utc_text(data_as_of)
    else:
        stamp = max(_instants(tables), default=_utc_text(dt.datetime(1970, 1, 1, tzinfo=dt.UTC)))
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": _schema_revision(session),
        "data_as_of": stamp,
        "tables": tables,
    }


def _instants(tables: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Every instant in the exported rows (their fixed-width UTC text sorts by time)."""
    found: list[str] = []
    for table in _tables():
        names = [c.name for c in table.columns if column_kind(c) == "instant"]
        for row in tables[table.name]:
            found.extend(row[name] for name in names if row[name] is not None)
    return found


_ENVELOPE_ORDER: Final = ("format", "format_version", "schema_revision", "data_as_of", "tables")


def _canonical(document: object) -> object:
    """The document with keys in file order: envelope fields in a fixed order, tables in
    dependency order, fields of a row sorted by name."""
    if not isinstance(document, dict):
        return document
    ordered: dict[str, Any] = {k: document[k] for k in _ENVELOPE_ORDER if k in document}
    ordered.update(sorted((k, v) for k, v in document.items() if k not in _ENVELOPE_ORDER))
    tables = ordered.get("tables")
    if isinstance(tables, dict):
        known = [t.name for t in _tables() if t.name in tables]
        names = known + sorted(set(tables) - set(known))
        ordered["tables"] = {
            name: (
                [dict(sorted(r.items())) if isinstance(r, dict) else r for r in tables[name]]
                if isinstance(tables[name], list)
                else tables[name]
            )
            for name in names
        }
    return ordered


def dumps(document: object) -> str:
    """The file text: stable, so two exports of the same data are byte-identical."""
    return json.dumps(_canonical(document), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_file(path: Path, document: object) -> Path:
    """Write an exchange file readable by its owner only (0600), whole or not at all.
    An existing file at ``path`` is replaced: ask before calling, if that matters."""
    data = dumps(document).encode("utf-8")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)  # a leftover may have looser permissions
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


# --------------------------------------------------------------------------------------------
# Reading


class _DuplicateKey(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constants(name: str) -> object:
    raise ValueError(name)


def _looks_truncated(text: str, error: json.JSONDecodeError) -> bool:
    """A JSON document that starts as one but stops before its end: the parser failed at the
    very end, inside a string that never closes, or the outermost bracket is never closed."""
    body = text.strip()
    if not body.startswith(("{", "[")):
        return False
    return (
        not text[error.pos :].strip()
        or error.msg.startswith("Unterminated string")
        or not body.endswith(("}", "]"))
    )


def loads(text: str) -> object:
    """Parse exchange-file text; a syntax error, a truncated file, a repeated field or a NaN
    becomes an :class:`ExchangeError` with a plain-English reason."""
    if not text.strip():
        raise ExchangeError([ExchangeProblem("$", "the file is empty")])
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        reason = f"the file is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        if _looks_truncated(text, exc):
            reason += " (the file ends too early: is it truncated?)"
        raise ExchangeError([ExchangeProblem("$", reason)]) from exc
    except _DuplicateKey as exc:
        reason = (
            f"the file is not usable JSON: the field '{exc.args[0]}' appears twice in one "
            "object, so it is unclear which value is meant"
        )
        raise ExchangeError([ExchangeProblem("$", reason)]) from exc
    except ValueError as exc:
        reason = f"the file is not valid JSON: it contains {exc.args[0]}, which JSON does not allow"
        raise ExchangeError([ExchangeProblem("$", reason)]) from exc
    except RecursionError as exc:
        reason = "the file is not usable JSON: it is nested too deeply"
        raise ExchangeError([ExchangeProblem("$", reason)]) from exc


def read_file(path: Path) -> object:
    """Read and parse an exchange file (UTF-8, with or without a byte-order mark)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NothingDone(f"The file {path} could not be read: {exc.strerror or exc}.") from exc
    try:
        text_ = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        reason = (
            f"the file is not UTF-8 text (byte {exc.start + 1} cannot be read): an exchange "
            "file is JSON in UTF-8; is this the right file?"
        )
        raise ExchangeError([ExchangeProblem("$", reason)]) from exc
    return loads(text_)


# --------------------------------------------------------------------------------------------
# Validation


def json_path(parts: Sequence[PathPart]) -> str:
    """``("tables", "reviews", 3, "opened_on")`` -> ``$.tables.reviews[3].opened_on``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            out += f".{part}"
        else:
            out += "[" + json.dumps(part, ensure_ascii=False) + "]"
    return out


def _show(value: object) -> str:
    """A value as it is quoted in a message, shortened if long."""
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return "'" + shown.replace("\n", "\\n") + "'"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if isinstance(value, int | float) else str(value)


def _describe(value: object) -> str:
    """What was found, in words: ``the text 'abc'``, ``the number 3``, ``a list``..."""
    if isinstance(value, str):
        return f"the text {_show(value)}"
    if isinstance(value, bool) or value is None:
        return _show(value)
    if isinstance(value, int | float):
        return f"the number {_show(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _expected(schema: Mapping[str, Any]) -> str:
    """What a schema asks for, in words."""
    declared = schema.get("type", [])
    types = [declared] if isinstance(declared, str) else list(declared)
    words: list[str] = []
    for name in types:
        if name == "string":
            if schema.get("format") == "date":
                words.append("a date written YYYY-MM-DD")
            elif schema.get("format") == "date-time":
                words.append("a UTC date and time written YYYY-MM-DDTHH:MM:SS.ffffffZ")
            elif schema.get("contentEncoding") == "base64":
                words.append("base64 text")
            elif "enum" in schema:
                allowed = [str(v) for v in schema["enum"] if v is not None]
                words.append("one of " + ", ".join(allowed))
            else:
                words.append("text")
        else:
            words.append(
                {
                    "integer": "a whole number",
                    "boolean": "true or false",
                    "null": "null",
                    "array": "a list",
                    "object": "an object",
                    "number": "a number",
                }.get(name, name)
            )
    if not words:
        return "a different value"
    return " or ".join(words)


def _translate(error: ValidationError) -> list[_RawProblem]:
    """One jsonschema error as plain-English problems (some keywords name several fields)."""
    path = tuple(error.absolute_path)
    keyword = error.validator
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    instance = error.instance
    is_tables = path == ("tables",)
    if keyword == "required" and isinstance(instance, dict):
        properties = schema.get("properties", {})
        problems: list[_RawProblem] = []
        for name in error.validator_value:
            if name in instance:
                continue
            if is_tables:
                reason = f"missing table '{name}' (write [] if it has no rows)"
            else:
                reason = f"missing required field '{name}'"
                types = properties.get(name, {}).get("type", [])
                if isinstance(types, list) and "null" in types:
                    reason += " (write null if it has no value)"
            problems.append((path, reason))
        return problems
    if keyword == "additionalProperties" and isinstance(instance, dict):
        known = schema.get("properties", {})
        extra = [name for name in instance if name not in known]
        if is_tables:
            return [
                (
                    (*path, name),
                    f"unknown table '{name}': this version of dhr-desk has no such table",
                )
                for name in extra
            ]
        if len(path) == 3 and path[0] == "tables":
            return [
                ((*path, name), f"unknown field '{name}': the {path[1]} table has no such column")
                for name in extra
            ]
        return [((*path, name), f"unknown field '{name}'") for name in extra]
    if keyword == "type":
        return [(path, f"expected {_expected(schema)}, found {_describe(instance)}")]
    if keyword == "enum":
        allowed = [str(v) for v in error.validator_value if v is not None]
        reason = f"{_show(instance)} is not one of the allowed values: {', '.join(allowed)}"
        if None in error.validator_value:
            reason += " (or null)"
        return [(path, reason)]
    if keyword == "const":
        return [(path, f"must be {_show(error.validator_value)}, found {_describe(instance)}")]
    if keyword == "maxLength":
        return [
            (
                path,
                f"the text is {len(instance)} characters long; "
                f"at most {error.validator_value} are allowed here",
            )
        ]
    if keyword == "minLength":
        return [(path, "must not be empty")]
    if keyword == "minimum":
        return [
            (path, f"{_show(instance)} is too small (the least allowed is {schema['minimum']})")
        ]
    if keyword == "maximum":
        return [(path, f"{_show(instance)} is too large (the most allowed is {schema['maximum']})")]
    if keyword == "format":
        if error.validator_value == "date":
            return [(path, f"{_show(instance)} is not a real date")]
        return [(path, f"{_show(instance)} is not a real date and time")]
    if keyword == "pattern":
        if schema.get("format") == "date":
            return [(path, f"{_show(instance)} is not a date written YYYY-MM-DD")]
        if schema.get("format") == "date-time":
            return [
                (
                    path,
                    f"{_show(instance)} is not a UTC date and time written "
                    "YYYY-MM-DDTHH:MM:SS.ffffffZ (six decimal places, ending in Z)",
                )
            ]
        if schema.get("contentEncoding") == "base64":
            return [(path, "the content is not valid base64 text")]
        return [(path, f"{_show(instance)} does not have the expected form")]
    return [(path, str(error.message))]


@cache
def _table_ranks() -> dict[str, int]:
    return {table.name: rank for rank, table in enumerate(_tables())}


def _order_key(path: tuple[PathPart, ...]) -> tuple[tuple[int, int, str], ...]:
    """Problems are listed in file order: envelope, then tables in dependency order, rows by
    position, fields in column order."""
    table_rank = _table_ranks()
    key: list[tuple[int, int, str]] = []
    for position, part in enumerate(path):
        if isinstance(part, int):
            key.append((0, part, ""))
            continue
        rank = 0
        if position == 0:
            rank = 0 if part != "tables" else 1  # envelope fields before the tables
        elif position == 1 and path[0] == "tables":
            rank = table_rank.get(part, len(table_rank))
        elif position == 3 and path[0] == "tables" and isinstance(path[1], str):
            table = Base.metadata.tables.get(path[1])
            names = [c.name for c in table.columns] if table is not None else []
            rank = names.index(part) if part in names else len(names)
        key.append((1, rank, part))
    return tuple(key)


def _version_problems(document: dict[str, Any]) -> list[_RawProblem]:
    """Whether this is an exchange file of a version this build reads: checked before the rest,
    since nothing else can be judged in a file of another kind or a newer version."""
    if "format" not in document:
        return [((), "this is not a dhr-desk exchange file: it has no 'format' field")]
    if document["format"] != FORMAT:
        return [
            (
                ("format",),
                f"this is not a dhr-desk exchange file: the format is {_show(document['format'])}, "
                f"not '{FORMAT}'",
            )
        ]
    if "format_version" not in document:
        return [((), "missing required field 'format_version'")]
    version = document["format_version"]
    if not isinstance(version, int) or isinstance(version, bool):
        return [(("format_version",), f"expected a whole number, found {_describe(version)}")]
    if version > FORMAT_VERSION:
        return [
            (
                ("format_version",),
                f"this file was written by a newer dhr-desk (format version {version}; this "
                f"version reads up to {FORMAT_VERSION}). Update dhr-desk, then import it again",
            )
        ]
    if version < 1:
        return [(("format_version",), f"there is no format version {version}")]
    return []


#: Upgrade steps for older files: version n -> a function turning a version-n document into a
#: version n+1 document (new columns as null or their default, renamed fields, ...).
def _version_1_to_2(document: dict[str, Any]) -> dict[str, Any]:
    """Schema revision 0002: actions gain ``rag_reason`` and ``progress_updated_at`` (null), and
    the table ``recommendation_lead_agencies`` is new (empty)."""
    tables = document.get("tables")
    if isinstance(tables, dict):
        for row in tables.get("actions") or []:
            if isinstance(row, dict):
                row.setdefault("rag_reason", None)
                row.setdefault("progress_updated_at", None)
        tables.setdefault("recommendation_lead_agencies", [])
    return document


def _version_2_to_3(document: dict[str, Any]) -> dict[str, Any]:
    """Schema revision 0003: the table ``action_evidence_documents`` is new (empty)."""
    tables = document.get("tables")
    if isinstance(tables, dict):
        tables.setdefault("action_evidence_documents", [])
    return document


def _version_3_to_4(document: dict[str, Any]) -> dict[str, Any]:
    """Schema revision 0004: document versions gain ``status`` ("draft") and ``marking``
    ("official_sensitive"), as the migration gives existing rows; the table
    ``anonymisation_overrides`` is new (empty)."""
    tables = document.get("tables")
    if isinstance(tables, dict):
        for row in tables.get("document_versions") or []:
            if isinstance(row, dict):
                row.setdefault("status", "draft")
                row.setdefault("marking", "official_sensitive")
        tables.setdefault("anonymisation_overrides", [])
    return document


def _version_4_to_5(document: dict[str, Any]) -> dict[str, Any]:
    """Schema revision 0005: a DHR's details gain ``embargo_until`` (none recorded)."""
    tables = document.get("tables")
    if isinstance(tables, dict):
        for row in tables.get("dhr_details") or []:
            if isinstance(row, dict):
                row.setdefault("embargo_until", None)
    return document


_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _version_1_to_2,
    2: _version_2_to_3,
    3: _version_3_to_4,
    4: _version_4_to_5,
}


def _upgrade(document: dict[str, Any]) -> dict[str, Any]:
    """The document taken to the current version, on a copy: the caller's is left as it was."""
    version = int(document["format_version"])
    if version < FORMAT_VERSION:
        document = copy.deepcopy(document)
    while version < FORMAT_VERSION:
        document = _UPGRADES[version](document)
        version += 1
        document["format_version"] = version
    return document


def _rule_checks(table: Table) -> list[CheckConstraint]:
    """The table's CHECK rules written as SQL text (enum CHECKs are covered by the schema)."""
    checks = [
        constraint
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint) and isinstance(constraint.sqltext, TextClause)
    ]
    return sorted(checks, key=lambda check: str(check.name))


def _rule_sql(check: CheckConstraint) -> str:
    assert isinstance(check.sqltext, TextClause)
    return str(check.sqltext.text)


def _rows_of(document: dict[str, Any]) -> dict[str, list[Any]]:
    tables = document.get("tables")
    if not isinstance(tables, dict):
        return {}
    return {name: rows for name, rows in tables.items() if isinstance(rows, list)}


def _row_values(row: object, columns: Sequence[Column[Any]]) -> tuple[Any, ...] | None:
    """The row's values for these columns, or None if any is missing, null or mistyped."""
    if not isinstance(row, dict):
        return None
    values = []
    for column in columns:
        value = row.get(column.name)
        if value is None or not _value_has_type(column_kind(column), value):
            return None
        values.append(value)
    return tuple(values)


def _show_key(columns: Sequence[Column[Any]], values: tuple[Any, ...]) -> str:
    if len(columns) == 1:
        return f"{columns[0].name} {_show(values[0])}"
    names = ", ".join(c.name for c in columns)
    shown = ", ".join(_show(v) for v in values)
    return f"({names}) ({shown})"


def _key_problems(rows: Mapping[str, list[Any]]) -> list[_RawProblem]:
    """Primary keys unique, unique constraints held, and every foreign key pointing at a row
    that is in the file."""
    problems: list[_RawProblem] = []
    for table in _tables():
        table_rows = rows.get(table.name)
        if table_rows is None:
            continue
        key_sets = [(tuple(table.primary_key), True), *((u, False) for u in _unique_sets(table))]
        for columns, is_primary in key_sets:
            seen: dict[tuple[Any, ...], int] = {}
            for index, row in enumerate(table_rows):
                values = _row_values(row, columns)
                if values is None:
                    continue
                if values in seen:
                    earlier = json_path(("tables", table.name, seen[values]))
                    if is_primary:
                        rule = "each row needs its own primary key"
                    elif len(columns) == 1:
                        rule = f"{columns[0].name} must be unique"
                    else:
                        rule = "together they must be unique"
                    problems.append(
                        (
                            ("tables", table.name, index, columns[0].name),
                            f"{_show_key(columns, values)} is already used by {earlier}; {rule}",
                        )
                    )
                else:
                    seen[values] = index
        for constraint in sorted(table.foreign_key_constraints, key=lambda c: str(c.name)):
            target = constraint.referred_table
            target_rows = rows.get(target.name)
            if target_rows is None:
                continue  # the missing table is reported already
            local = [element.parent for element in constraint.elements]
            remote = [element.column for element in constraint.elements]
            keys = [_row_values(row, remote) for row in target_rows]
            if None in keys:
                continue  # a target row's own key is wrong (reported): judge no references yet
            present = set(keys)
            for index, row in enumerate(table_rows):
                values = _row_values(row, local)
                if values is None or values in present:
                    continue
                reason = (
                    f"there is no row in {target.name} with {_show_key(remote, values)}: "
                    f"it must refer to a row in the file"
                )
                if all(column.nullable for column in local):
                    reason += " (or be null)"
                problems.append((("tables", table.name, index, local[0].name), reason))
    return problems


def _value_problems(rows: Mapping[str, list[Any]]) -> list[_RawProblem]:
    """What the schema cannot say: text every backend can store (no NUL character, which
    PostgreSQL refuses, and no lone surrogate, which is not text at all), and base64 that
    decodes (a JSON Schema pattern lets a trailing line break through)."""
    problems: list[_RawProblem] = []
    for table in _tables():
        kinds = [(c.name, column_kind(c)) for c in table.columns]
        checked = [(name, kind) for name, kind in kinds if kind in ("text", "binary")]
        for index, row in enumerate(rows.get(table.name, [])):
            if not isinstance(row, dict):
                continue
            for name, kind in checked:
                value = row.get(name)
                if not isinstance(value, str):
                    continue
                path = ("tables", table.name, index, name)
                if kind == "binary":
                    try:
                        base64.b64decode(value, validate=True)
                    except ValueError:
                        problems.append((path, "the content is not valid base64 text"))
                    continue
                if "\x00" in value:
                    reason = "the text contains a NUL character (\\u0000), which cannot be stored"
                    problems.append((path, reason))
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    reason = "the text contains an unpaired surrogate (a broken \\uXXXX escape)"
                    problems.append((path, reason))
    return problems


def _rule_problems(
    rows: Mapping[str, list[Any]], rows_with_problems: set[tuple[str, int]]
) -> list[_RawProblem]:
    """The tables' CHECK rules, evaluated by SQLite in memory over rows that are otherwise
    valid, so a rule added to a model is checked here with no change to this module."""
    work = []
    for table in _tables():
        checks = _rule_checks(table)
        table_rows = rows.get(table.name)
        if not checks or not table_rows:
            continue
        sql = " ".join(_rule_sql(check) for check in checks)
        used = [c for c in table.columns if re.search(rf"\b{re.escape(c.name)}\b", sql)]
        good = [
            (index, row)
            for index, row in enumerate(table_rows)
            if isinstance(row, dict) and (table.name, index) not in rows_with_problems
        ]
        if good and used:
            work.append((table, checks, used, good))
    if not work:
        return []
    problems: list[_RawProblem] = []
    engine = create_engine("sqlite://")  # in memory only, never on disk
    try:
        with engine.connect() as conn:
            for table, checks, used, good in work:
                scratch = Table(
                    table.name,
                    MetaData(),
                    Column("exchange_row_", Integer, primary_key=True),
                    *(Column(c.name, _scratch_type(column_kind(c))) for c in used),
                )
                scratch.create(conn)
                conn.execute(
                    insert(scratch),
                    [
                        {
                            "exchange_row_": index,
                            **{
                                c.name: _scratch_value(column_kind(c), row.get(c.name))
                                for c in used
                            },
                        }
                        for index, row in good
                    ],
                )
                for check in checks:
                    failing = conn.exec_driver_sql(
                        f'SELECT exchange_row_ FROM "{table.name}" '
                        f"WHERE NOT ({_rule_sql(check)}) ORDER BY exchange_row_"
                    ).scalars()
                    for index in failing:
                        reason = f"the row breaks the rule {check.name}: {_rule_sql(check)}"
                        problems.append((("tables", table.name, int(index)), reason))
    finally:
        engine.dispose()
    return problems


#: Dates a deadline is worked out from: each must fall inside the working calendar.
CLOCK_DATES: Final = {
    "reviews": ("opened_on", "closed_on"),
    "pauses": ("started_on", "ended_on"),
    "deadline_overrides": ("revised_date", "approved_on"),
    "information_requests": ("requested_on", "due_on", "received_on"),
    "meetings": ("held_on",),
    "asb_escalations": ("requested_on", "decided_on", "response_sent_on"),
}


def _clock_columns() -> dict[str, tuple[str, ...]]:
    from dhr_desk.workflows.review_facts import ASB_EVENTS, DHR_EVENTS

    return {
        **CLOCK_DATES,
        "dhr_details": tuple(c.key for c in DHR_EVENTS.values()),
        "asb_details": tuple(c.key for c in ASB_EVENTS.values()),
    }


def _review_problems(
    rows: Mapping[str, list[Any]], rows_with_problems: set[tuple[str, int]]
) -> list[_RawProblem]:
    """What only this installation can judge: each review's stage template (key and version)
    is installed, is for the review's kind and has the review's stage; and every date a clock
    runs from is inside the working calendar's years."""
    from dhr_desk.workflows.stage_templates import TemplateError, template
    from dhr_desk.workflows.working_calendar import DEFAULT_YEARS

    problems: list[_RawProblem] = []
    for index, row in enumerate(rows.get("reviews", [])):
        if not isinstance(row, dict) or ("reviews", index) in rows_with_problems:
            continue
        key, version = row.get("template_key"), row.get("template_version")
        try:
            found = template(str(key), str(version))
        except TemplateError:
            reason = (
                f"the stage template {key} {version} is not installed here; install it "
                "(resources/stage_templates) before importing this review"
            )
            problems.append((("tables", "reviews", index, "template_version"), reason))
            continue
        if found.kind != row.get("kind"):
            reason = f"the stage template {key} {version} is for {found.kind} reviews"
            problems.append((("tables", "reviews", index, "template_key"), reason))
        if row.get("stage_key") not in {stage.key for stage in found.stages}:
            reason = f"the stage template {key} {version} has no stage '{row.get('stage_key')}'"
            problems.append((("tables", "reviews", index, "stage_key"), reason))
    first, last = f"{DEFAULT_YEARS.start}-01-01", f"{DEFAULT_YEARS.stop - 1}-12-31"
    for table_name, names in _clock_columns().items():
        for index, row in enumerate(rows.get(table_name, [])):
            if not isinstance(row, dict) or (table_name, index) in rows_with_problems:
                continue
            for name in names:
                value = row.get(name)
                if isinstance(value, str) and not first <= value <= last:
                    reason = (
                        f"{value} is outside the working calendar ({first} to {last}), so no "
                        "deadline could be worked out from it; check the year"
                    )
                    problems.append((("tables", table_name, index, name), reason))
    return problems


def _scratch_type(kind: ColumnKind) -> type[Integer] | type[Text] | type[LargeBinary]:
    if kind in ("integer", "boolean"):
        return Integer
    if kind == "binary":
        return LargeBinary
    return Text  # enums, dates and instants compare correctly as their ISO text


def _scratch_value(kind: ColumnKind, value: Any) -> Any:
    if value is None:
        return None
    if kind == "binary":
        return base64.b64decode(value, validate=True)
    if kind == "boolean":
        return int(value)
    return value


def _prepare(document: object) -> tuple[dict[str, Any] | None, list[ExchangeProblem]]:
    """Validate (after upgrading an older version); the document to import, or the problems."""
    if not isinstance(document, dict):
        reason = f"an exchange file holds one JSON object, but this one holds {_describe(document)}"
        return None, [ExchangeProblem("$", reason)]
    raw = _version_problems(document)
    if raw:
        return None, [ExchangeProblem(json_path(path), reason) for path, reason in raw]
    document = _upgrade(document)
    for error in _validator().iter_errors(document):
        raw.extend(_translate(error))
    rows = _rows_of(document)
    raw.extend(_value_problems(rows))
    # Rules spanning several fields are judged only on rows whose fields are each valid.
    rows_with_problems = {
        (str(path[1]), path[2])
        for path, _ in raw
        if len(path) >= 3 and path[0] == "tables" and isinstance(path[2], int)
    }
    raw.extend(_rule_problems(rows, rows_with_problems))
    raw.extend(_review_problems(rows, rows_with_problems))
    raw.extend(_key_problems(rows))
    problems: list[ExchangeProblem] = []
    seen: set[tuple[tuple[PathPart, ...], str]] = set()
    for path, reason in sorted(raw, key=lambda item: _order_key(item[0])):
        if (path, reason) not in seen:
            seen.add((path, reason))
            problems.append(ExchangeProblem(json_path(path), reason))
    return (None if problems else document), problems


def validate(document: object) -> list[ExchangeProblem]:
    """Every problem with an exchange document, in file order; empty if it can be imported."""
    return _prepare(document)[1]


# --------------------------------------------------------------------------------------------
# Import


def _row_counts(session: Session) -> Iterator[tuple[str, int]]:
    for table in _tables():
        count = session.scalar(select(func.count()).select_from(table)) or 0
        if count:
            yield table.name, count


def _reset_sequences(session: Session) -> None:
    """After explicit ids, make PostgreSQL's sequences continue from the largest id."""
    preparer = session.get_bind().dialect.identifier_preparer
    for table in _tables():
        column = table.autoincrement_column
        if column is None:
            continue
        quoted_table = preparer.format_table(table)
        quoted_column = preparer.quote(column.name)
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"coalesce(max({quoted_column}), 1), max({quoted_column}) IS NOT NULL) "
                f"FROM {quoted_table}"
            ),
            {"table": quoted_table, "column": column.name},
        )


def import_store(session: Session, document: object) -> ImportSummary:
    """Insert every row of a validated exchange document into an empty store.

    Raises :class:`ExchangeError` listing every problem, or :class:`StoreNotEmpty`, having
    written nothing. On success the rows are in the session's transaction: the caller commits.
    """
    prepared, problems = _prepare(document)
    if problems or prepared is None:
        raise ExchangeError(problems)
    occupied = list(_row_counts(session))
    if occupied:
        listed = ", ".join(f"{name}: {count}" for name, count in occupied)
        raise StoreNotEmpty(
            f"the database already holds data ({listed} rows), and an exchange file is "
            "imported only into an empty database. Nothing was imported. Import into a new "
            "data folder (--data-dir) or an empty PostgreSQL database instead."
        )
    counts: dict[str, int] = {}
    tables = prepared["tables"]
    for table in _tables():
        table_rows: list[dict[str, Any]] = tables[table.name]
        kinds = [(column, column_kind(column)) for column in table.columns]
        for start in range(0, len(table_rows), _BATCH):
            batch = [
                {column.name: _decode(kind, column, row[column.name]) for column, kind in kinds}
                for row in table_rows[start : start + _BATCH]
            ]
            session.execute(insert(table), batch)
        counts[table.name] = len(table_rows)
    if session.get_bind().dialect.name == "postgresql":
        _reset_sequences(session)
    return ImportSummary(
        format_version=int(prepared["format_version"]),
        schema_revision=str(prepared["schema_revision"]),
        rows=counts,
    )


# --------------------------------------------------------------------------------------------
# python -m dhr_desk.workflows.exchange --write-schema | --check-schema


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dhr_desk.workflows.exchange",
        description="Regenerate or check the exchange-format JSON Schema in resources/.",
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write-schema", action="store_true", help=f"write {SCHEMA_FILE}")
    action.add_argument(
        "--check-schema", action="store_true", help="exit 1 if the committed file is stale"
    )
    args = parser.parse_args(argv)
    if args.write_schema:
        print(f"wrote {write_schema()}")
        return 0
    current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
    if current != schema_text():
        print(f"{SCHEMA_FILE} is out of date: run with --write-schema", file=sys.stderr)
        return 1
    print(f"{SCHEMA_FILE} is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

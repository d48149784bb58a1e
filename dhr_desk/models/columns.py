"""Column-type helpers and standard lengths shared by every model module.

Enums are stored as plain strings with a named CHECK constraint (``native_enum=False``), so
SQLite and PostgreSQL hold identical schemas and Alembic compares them the same way. The CHECK
constraint is named from the enum's ``name`` through the naming convention:
``ck_<table>_<enum name>``; never use the same enum name twice in one table.
"""

from __future__ import annotations

import enum

from sqlalchemy import Enum as SaEnum

#: Lengths used across the schema, so the same kind of value has the same width everywhere.
NAME_LEN = 200  # a person's or organisation's name, a title, a role description
EMAIL_LEN = 320  # RFC 5321 maximum
PHONE_LEN = 50
KEY_LEN = 64  # stage keys, template keys, deadline keys, district names, short codes
REFERENCE_LEN = 100  # external references (incident numbers, case numbers)
URL_LEN = 2000
PATH_LEN = 1000
SHA256_HEX_LEN = 64


def enum_values(enum_cls: type[enum.Enum]) -> list[str]:
    """The stored strings of an enum: its members' values, never their names."""
    return [str(member.value) for member in enum_cls]


def enum_type(enum_cls: type[enum.Enum], name: str, length: int = 32) -> SaEnum:
    """A portable string enum column type with a named CHECK constraint.

    ``length`` is the column width and must hold every value; keep headroom so a new member
    rarely needs the column widened (adding a member still needs a migration for the CHECK).
    """
    too_long = [value for value in enum_values(enum_cls) if len(value) > length]
    if too_long:
        raise ValueError(f"{enum_cls.__name__}: values longer than {length}: {too_long}")
    return SaEnum(
        enum_cls,
        name=name,
        native_enum=False,
        length=length,
        create_constraint=True,
        validate_strings=True,
        values_callable=enum_values,
    )

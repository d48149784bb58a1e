"""The metadata sheet of a submission pack: the fields the Home Office library records about
each review (issue #6, point 5). The list of fields is a setting (``packs.metadata_fields``),
each a label and a default; a default may name facts of the case in braces, filled in when the
sheet is made ("{year_of_death}"). The officer can change any value before the pack is made.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the settings registry imports this module; the facts import the registry
    from dhr_desk.workflows.submission_facts import CaseFacts

#: The facts a default may name, each worked out from the case with pseudonyms only.
FILLS = (
    "review_type", "year_of_death", "victim_age_band", "perpetrator_age_band", "relationship",
    "circumstances", "district",
)  # fmt: skip
DEFAULT_FIELDS: list[dict[str, str]] = [
    {"label": "Review type", "default": "{review_type}"},
    {"label": "Region", "default": "East of England"},
    {"label": "Police force area", "default": "Norfolk"},
    {"label": "Community Safety Partnership area", "default": "{district}"},
    {"label": "Year of death", "default": "{year_of_death}"},
    {"label": "Victim age band", "default": "{victim_age_band}"},
    {"label": "Victim sex", "default": ""},
    {"label": "Victim ethnicity", "default": ""},
    {"label": "Perpetrator age band", "default": "{perpetrator_age_band}"},
    {"label": "Perpetrator sex", "default": ""},
    {"label": "Perpetrator ethnicity", "default": ""},
    {"label": "Relationship of perpetrator to victim", "default": "{relationship}"},
    {"label": "Circumstances of death", "default": "{circumstances}"},
]
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class MetadataFieldsError(ValueError):
    """The field list refused; the message says what is wrong."""


def checked_fields(value: Any) -> list[dict[str, str]]:
    """A field list: 1 to 60 fields, each a label (unique, under 200 characters) and a default
    naming only known facts."""
    if not isinstance(value, list) or not 1 <= len(value) <= 60:
        raise MetadataFieldsError("List between 1 and 60 metadata fields.")
    fields, seen = [], set()
    for item in value:
        if not isinstance(item, dict) or not str(item.get("label", "")).strip():
            raise MetadataFieldsError("Each metadata field needs a label.")
        label, default = str(item["label"]).strip(), str(item.get("default") or "").strip()
        if len(label) > 200 or len(default) > 500:
            raise MetadataFieldsError(f"The field '{label[:40]}' is too long.")
        if label.casefold() in seen:
            raise MetadataFieldsError(f"The field '{label}' is listed twice.")
        unknown = set(_PLACEHOLDER.findall(default)) - set(FILLS)
        if unknown:
            raise MetadataFieldsError(
                f"The field '{label}' names {{{sorted(unknown)[0]}}}, which dhr-desk does not "
                f"fill. It fills: {', '.join('{' + f + '}' for f in FILLS)}."
            )
        seen.add(label.casefold())
        fields.append({"label": label, "default": default})
    return fields


def case_values(facts: CaseFacts) -> dict[str, str]:
    """The facts a default may name, for this case."""
    victim, perpetrator = facts.person("Victim"), facts.person("Perpetrator")
    review_type = facts.review_name + (" (directed by the Secretary of State)" if facts.directed
                                       else "")  # fmt: skip
    return {
        "review_type": review_type,
        "year_of_death": str(facts.date_of_death.year) if facts.date_of_death else "",
        "victim_age_band": victim.age_band if victim else "",
        "perpetrator_age_band": perpetrator.age_band if perpetrator else "",
        "relationship": perpetrator.relationship if perpetrator else "",
        "circumstances": facts.death_category,
        "district": facts.district,
    }


def metadata_rows(
    facts: CaseFacts, fields: list[dict[str, str]], typed: Mapping[str, str]
) -> list[tuple[str, str]]:
    """Each field with its value: what the officer typed, else its default with the case's
    facts filled in."""
    values = case_values(facts)
    rows = []
    for field in fields:
        label = field["label"]
        if label in typed:
            rows.append((label, typed[label].strip()))
        else:
            rows.append((label, _PLACEHOLDER.sub(lambda m: values.get(m[1], ""), field["default"])))
    return rows

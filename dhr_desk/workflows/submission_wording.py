"""The layout of the overview report and executive summary starters and the wording of the
covering letter, read from ``resources/submission/home-office-2016.toml`` (the Home Office
model, Appendix 4 of the 2016 statutory guidance): data the Home Office may change."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass

from dhr_desk.workflows.resources import resources_dir

WORDING_FILE = "submission/home-office-2016.toml"
FILLS = frozenset({
    "people", "timescales", "terms_of_reference", "family", "agencies", "panel", "chair",
    "proceedings", "recommendations",
})  # fmt: skip
LETTER_KEYS = (
    "addressee", "salutation", "subject", "opening", "dates_heading", "meetings_heading",
    "delay_heading", "on_time", "late", "proceedings_heading", "no_proceedings",
    "family_heading", "family_seen", "family_declined", "feedback_heading", "feedback",
    "closing", "valediction",
)  # fmt: skip


class WordingError(ValueError):
    """The wording file is missing or malformed; the message names the file and the fault."""


@dataclass(frozen=True)
class Section:
    heading: str
    level: int
    fill: str  # "" when the chair writes it all
    prompt: str  # "" when nothing is left for the chair


@dataclass(frozen=True)
class StarterLayout:
    title: str
    intro: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class SubmissionWording:
    version: str
    overview_report: StarterLayout
    executive_summary: StarterLayout
    covering_letter: dict[str, str]


def _layout(raw: object, where: str) -> StarterLayout:
    if not isinstance(raw, dict) or not isinstance(raw.get("sections"), list):
        raise WordingError(f"[{where}] with its sections is missing.")
    sections = []
    for i, item in enumerate(raw["sections"], 1):
        fill, level = str(item.get("fill", "")), item.get("level", 1)
        if fill and fill not in FILLS:
            raise WordingError(f"[{where}] section {i}: '{fill}' is not something dhr-desk fills.")
        if level not in (1, 2) or not str(item.get("heading", "")).strip():
            raise WordingError(f"[{where}] section {i} needs a heading and a level of 1 or 2.")
        sections.append(Section(str(item["heading"]), int(level), fill,
                                str(item.get("prompt", ""))))  # fmt: skip
    return StarterLayout(str(raw.get("title", "")), str(raw.get("intro", "")), tuple(sections))


@functools.cache
def submission_wording() -> SubmissionWording:
    path = resources_dir() / WORDING_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise WordingError(f"The submission wording {path} could not be read: {exc}.") from exc
    letter = raw.get("covering_letter")
    if not isinstance(letter, dict) or set(LETTER_KEYS) - set(letter):
        missing = sorted(set(LETTER_KEYS) - set(letter or {}))
        raise WordingError(f"{path}: [covering_letter] lacks {', '.join(missing)}.")
    return SubmissionWording(
        str(raw.get("version", "")),
        _layout(raw.get("overview_report"), "overview_report"),
        _layout(raw.get("executive_summary"), "executive_summary"),
        {key: str(letter[key]) for key in LETTER_KEYS},
    )

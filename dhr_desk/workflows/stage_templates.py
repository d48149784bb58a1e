"""Stage templates: a review kind's stages, allowed moves with their guards, and its deadline
rules, as versioned data (TOML in ``resources/stage_templates``).

Architecture rule: a review remembers the template key and version it started under; a new
version does not change running reviews unless a person moves them.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from pathlib import Path

from dhr_desk.workflows.guards import DEADLINE_CONDITIONS, GUARDS
from dhr_desk.workflows.resources import resources_dir
from dhr_desk.workflows.working_calendar import Span, SpanError, parse_span


class TemplateError(ValueError):
    """A stage template file that does not make sense; the message names the file and place."""


@dataclass(frozen=True)
class Stage:
    key: str
    name: str
    description: str


@dataclass(frozen=True)
class Transition:
    """A move from ``source`` to ``target`` once every guard in ``requires`` holds. Events in
    ``sets_aside`` are cleared by the move (kept in the audit log) because the review goes back
    to do them again: a resubmission after the Home Office letter, a reopened ASB case."""

    source: str
    target: str
    requires: tuple[str, ...]
    sets_aside: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeadlineRule:
    """``span`` after the ``anchor`` event; met when the ``met_by`` event is recorded; applies
    only while the ``when`` guard holds (if any)."""

    key: str
    name: str
    anchor: str
    span: Span
    met_by: str
    when: str | None
    source: str
    basis_start: str = ""  # "6 calendar months from the decision", worded once at load


@dataclass(frozen=True)
class StageTemplate:
    key: str
    version: str
    kind: str
    title: str
    initial_stage: str
    events: Mapping[str, str]
    stages: tuple[Stage, ...]
    transitions: tuple[Transition, ...]
    deadlines: tuple[DeadlineRule, ...]
    #: For each event, every event it may not be dated before (the template's [event_order],
    #: followed through: if b follows a and c follows b, c follows a).
    follows: Mapping[str, frozenset[str]] = dataclass_field(default_factory=dict)

    def out_of_order(
        self, event: str, on: dt.date, recorded: Mapping[str, dt.date]
    ) -> tuple[str, dt.date, str] | None:
        """The first recorded event that dating ``event`` on ``on`` would contradict, as
        (other event, its date, "before" or "after"), or None when the date fits both ways."""
        for earlier in sorted(self.follows.get(event, ())):
            when = recorded.get(earlier)
            if when is not None and on < when:
                return earlier, when, "before"
        for later, earlier_ones in sorted(self.follows.items()):
            when = recorded.get(later)
            if event in earlier_ones and when is not None and on > when:
                return later, when, "after"
        return None

    def event_name(self, key: str) -> str:
        return self.events.get(key, key.replace("_", " "))

    def event_heading(self, key: str) -> str:
        """The event's name starting with a capital, acronyms kept ("Assigning the SPOC")."""
        name = self.event_name(key)
        return name[:1].upper() + name[1:]

    def stage(self, key: str) -> Stage:
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise KeyError(f"stage '{key}' is not in template {self.key} {self.version}")

    def moves_from(self, stage_key: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if t.source == stage_key)

    def transition(self, source: str, target: str) -> Transition | None:
        for move in self.transitions:
            if move.source == source and move.target == target:
                return move
        return None


def templates_dir() -> Path:
    return resources_dir() / "stage_templates"


def _text(table: Mapping[str, object], field: str, where: str) -> str:
    value = table.get(field)
    if not isinstance(value, str) or not value.strip():
        raise TemplateError(f"{where}: '{field}' must be a non-empty text")
    return value


def parse_template(data: Mapping[str, object], origin: str) -> StageTemplate:
    """Build and check a template: every stage, guard and event reference must make sense."""
    stages_raw = data.get("stages")
    if not isinstance(stages_raw, list) or not stages_raw:
        raise TemplateError(f"{origin}: the template has no [[stages]]")
    stages = tuple(
        Stage(
            _text(s, "key", f"{origin} stages[{i}]"),
            _text(s, "name", f"{origin} stages[{i}]"),
            str(s.get("description", "")),
        )
        for i, s in enumerate(stages_raw)
    )
    keys = [s.key for s in stages]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise TemplateError(f"{origin}: stage keys repeat: {', '.join(duplicates)}")
    events_raw = data.get("events")
    if not isinstance(events_raw, dict) or not all(isinstance(v, str) for v in events_raw.values()):
        raise TemplateError(f"{origin}: [events] must map each event key to its words")
    events = {str(k): str(v) for k, v in events_raw.items()}
    transitions: list[Transition] = []
    for i, raw in enumerate(_list(data, "transitions", origin)):
        where = f"{origin} transitions[{i}]"
        source, target = _text(raw, "from", where), _text(raw, "to", where)
        for end in (source, target):
            if end not in keys:
                raise TemplateError(f"{where}: no stage '{end}'")
        listed = raw.get("requires", [])
        if not isinstance(listed, list) or not all(isinstance(g, str) for g in listed):
            raise TemplateError(f"{where}: 'requires' must be a list of guard names")
        requires = tuple(str(g) for g in listed)
        for guard in requires:
            if guard not in GUARDS:
                raise TemplateError(f"{where}: unknown guard '{guard}'")
        transitions.append(
            Transition(source, target, requires, _event_list(raw, "sets_aside", events, where))
        )
    deadlines: list[DeadlineRule] = []
    for i, raw in enumerate(_list(data, "deadlines", origin)):
        where = f"{origin} deadlines[{i}]"
        try:
            span = parse_span(_text(raw, "span", where))
        except SpanError as exc:
            raise TemplateError(f"{where}: {exc}") from exc
        for field in ("anchor", "met_by"):
            if raw.get(field) not in events:
                raise TemplateError(f"{where}: '{field}' names no event in [events]")
        when = raw.get("when")
        if when is not None and when not in DEADLINE_CONDITIONS:
            allowed = ", ".join(sorted(DEADLINE_CONDITIONS))
            raise TemplateError(f"{where}: 'when' may name only one of: {allowed}")
        deadlines.append(
            DeadlineRule(
                key=_text(raw, "key", where),
                name=_text(raw, "name", where),
                anchor=_text(raw, "anchor", where),
                span=span,
                met_by=_text(raw, "met_by", where),
                when=str(when) if when is not None else None,
                source=str(raw.get("source", "")),
                basis_start=f"{span.describe()} from {events.get(str(raw['anchor']))}",
            )
        )
    initial = _text(data, "initial_stage", origin)
    if initial not in keys:
        raise TemplateError(f"{origin}: initial_stage '{initial}' is not a stage")
    kind = _text(data, "kind", origin)
    if kind not in ("dhr", "asb"):
        raise TemplateError(f"{origin}: kind must be 'dhr' or 'asb', not '{kind}'")
    return StageTemplate(
        key=_text(data, "key", origin),
        version=_text(data, "version", origin),
        kind=kind,
        title=_text(data, "title", origin),
        initial_stage=initial,
        events=events,
        stages=stages,
        transitions=tuple(transitions),
        deadlines=tuple(deadlines),
        follows=_event_order(data, events, origin),
    )


def _event_list(
    table: Mapping[str, object], field: str, events: Mapping[str, str], where: str
) -> tuple[str, ...]:
    listed = table.get(field, [])
    if not isinstance(listed, list) or not all(isinstance(e, str) for e in listed):
        raise TemplateError(f"{where}: '{field}' must be a list of event keys")
    for event in listed:
        if event not in events:
            raise TemplateError(f"{where}: '{field}' names '{event}', which is not in [events]")
    return tuple(str(e) for e in listed)


def _event_order(
    data: Mapping[str, object], events: Mapping[str, str], origin: str
) -> dict[str, frozenset[str]]:
    """[event_order]: each event with the events it may not be dated before, followed
    through to every earlier one; a loop (a before b before a) is refused."""
    raw = data.get("event_order", {})
    if not isinstance(raw, dict):
        raise TemplateError(f"{origin}: [event_order] must map events to lists of events")
    direct: dict[str, tuple[str, ...]] = {}
    for event, earlier in raw.items():
        where = f"{origin} event_order.{event}"
        if event not in events:
            raise TemplateError(f"{where}: '{event}' is not in [events]")
        direct[str(event)] = _event_list({"after": earlier}, "after", events, where)
    follows: dict[str, frozenset[str]] = {}
    for event in direct:
        seen: set[str] = set()
        stack = list(direct[event])
        while stack:
            earlier = stack.pop()
            if earlier == event:
                raise TemplateError(f"{origin} event_order: '{event}' would have to follow itself")
            if earlier not in seen:
                seen.add(earlier)
                stack.extend(direct.get(earlier, ()))
        follows[event] = frozenset(seen)
    return follows


def _list(data: Mapping[str, object], field: str, origin: str) -> list[Mapping[str, object]]:
    value = data.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise TemplateError(f"{origin}: '{field}' must be a list of tables ([[{field}]])")
    return value


def load_template_file(path: Path) -> StageTemplate:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(f"{path.name}: {exc}") from exc
    return parse_template(data, path.name)


@cache
def all_templates() -> dict[tuple[str, str], StageTemplate]:
    """Every template in the resources folder, by (key, version)."""
    found: dict[tuple[str, str], StageTemplate] = {}
    for path in sorted(templates_dir().glob("*.toml")):
        template = load_template_file(path)
        if (template.key, template.version) in found:
            raise TemplateError(
                f"{path.name}: another file already defines {template.key} {template.version}; "
                "give a changed template a new version, or running reviews would change with it."
            )
        found[(template.key, template.version)] = template
    return found


def template(key: str, version: str) -> StageTemplate:
    try:
        return all_templates()[(key, version)]
    except KeyError:
        raise TemplateError(
            f"Stage template {key} {version} is not installed; this review needs it."
        ) from None


def current_template(kind: str) -> StageTemplate:
    """The newest version of the template for a review kind (used for new reviews)."""
    candidates = [t for t in all_templates().values() if t.kind == kind]
    if not candidates:
        raise TemplateError(f"No stage template for '{kind}' reviews is installed.")
    return max(candidates, key=lambda t: tuple(int(p) for p in t.version.split(".")))

"""Stage templates as data: both shipped templates load and hang together, and a template that
does not make sense is refused with a message naming the place."""

from __future__ import annotations

from collections import deque

import pytest

from dhr_desk.workflows.guards import GUARDS
from dhr_desk.workflows.stage_templates import (
    TemplateError,
    all_templates,
    current_template,
    parse_template,
)


def reachable(stage_template_key: tuple[str, str]) -> set[str]:
    stage_template = all_templates()[stage_template_key]
    seen = {stage_template.initial_stage}
    queue = deque(seen)
    while queue:
        for move in stage_template.moves_from(queue.popleft()):
            if move.target not in seen:
                seen.add(move.target)
                queue.append(move.target)
    return seen


def test_the_dhr_template_has_the_fifteen_stages_of_the_2016_guidance() -> None:
    dhr = current_template("dhr")
    assert [s.name for s in dhr.stages] == [
        "Notified", "Decision", "Home Office notified", "Commissioning",
        "Terms of reference and scoping", "Information gathering", "Analysis and drafting",
        "Consultation", "Sign-off", "Submitted to Home Office", "Quality assurance",
        "Ready to publish", "Published", "Action monitoring", "Closed",
    ]  # fmt: skip
    completion = next(d for d in dhr.deadlines if d.key == "completion")
    assert (completion.anchor, str(completion.span), completion.met_by) == (
        "decided",
        "6m",
        "signed_off",
    )


def test_the_asb_template_has_the_escalation_branch() -> None:
    asb = current_template("asb")
    assert {m.target for m in asb.moves_from("threshold_not_met")} == {"escalation", "closed"}
    assert {m.target for m in asb.moves_from("escalation")} == {"information_gathering", "closed"}
    spans = {d.key: str(d.span) for d in asb.deadlines}
    assert spans["spoc_contact"] == "7wd" and spans["threshold_decision"] == "21wd"


@pytest.mark.parametrize("key", sorted(all_templates()))
def test_every_stage_can_be_reached_and_every_guard_exists(key: tuple[str, str]) -> None:
    stage_template = all_templates()[key]
    assert reachable(key) == {s.key for s in stage_template.stages}
    for move in stage_template.transitions:
        assert all(g in GUARDS for g in move.requires)
    for rule in stage_template.deadlines:
        assert rule.anchor in stage_template.events and rule.met_by in stage_template.events


MINIMAL = {
    "key": "t",
    "version": "1.0",
    "kind": "dhr",
    "title": "Test",
    "initial_stage": "a",
    "events": {"start": "the start", "end": "the end"},
    "stages": [{"key": "a", "name": "A"}, {"key": "b", "name": "B"}],
    "transitions": [{"from": "a", "to": "b", "requires": []}],
    "deadlines": [{"key": "d", "name": "D", "anchor": "start", "span": "5wd", "met_by": "end"}],
}


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"transitions": [{"from": "a", "to": "z", "requires": []}]}, "no stage 'z'"),
        ({"transitions": [{"from": "a", "to": "b", "requires": ["nope"]}]}, "unknown guard"),
        ({"initial_stage": "z"}, "initial_stage 'z'"),
        ({"kind": "sar"}, "kind must be"),
        ({"stages": [{"key": "a", "name": "A"}, {"key": "a", "name": "A again"}]}, "repeat"),
        (
            {"deadlines": [{"key": "d", "name": "D", "anchor": "start", "span": "-3wd",
                            "met_by": "end"}]},
            "cannot be negative",
        ),
        (
            {"deadlines": [{"key": "d", "name": "D", "anchor": "nowhere", "span": "1m",
                            "met_by": "end"}]},
            "'anchor' names no event",
        ),
    ],
)  # fmt: skip
def test_a_template_that_does_not_make_sense_is_refused(
    change: dict[str, object], says: str
) -> None:
    with pytest.raises(TemplateError, match=says):
        parse_template({**MINIMAL, **change}, "test.toml")


def test_the_minimal_template_is_accepted() -> None:
    parsed = parse_template(MINIMAL, "test.toml")
    assert parsed.transition("a", "b") is not None
    assert parsed.transition("b", "a") is None


def test_a_deadline_condition_must_be_one_the_deadline_list_can_evaluate() -> None:
    rule = {"key": "d", "name": "D", "anchor": "start", "span": "1m", "met_by": "end",
            "when": "no_outstanding_information_requests"}  # fmt: skip
    with pytest.raises(TemplateError, match="'when' may name only one of"):
        parse_template({**MINIMAL, "deadlines": [rule]}, "test.toml")

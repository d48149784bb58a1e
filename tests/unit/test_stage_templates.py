"""Stage templates as data: both shipped templates load and hang together, and a template that
does not make sense is refused with a message naming the place."""

from __future__ import annotations

import datetime as dt
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


ORDERED = {
    **MINIMAL,
    "events": {"start": "the start", "middle": "the middle", "end": "the end"},
    "event_order": {"middle": ["start"], "end": ["middle"]},
}


def test_the_event_order_is_followed_through_and_checked_both_ways() -> None:
    # GIVEN start -> middle -> end in the template's [event_order]
    parsed = parse_template(ORDERED, "test.toml")
    assert parsed.follows["end"] == frozenset({"start", "middle"})
    recorded = {"start": dt.date(2027, 3, 1), "end": dt.date(2027, 3, 20)}
    # WHEN the middle is dated before the start THEN the start is named
    assert parsed.out_of_order("middle", dt.date(2027, 2, 1), recorded) == (
        "start", dt.date(2027, 3, 1), "before",
    )  # fmt: skip
    # WHEN it is dated after the end, which follows it THEN the end is named
    assert parsed.out_of_order("middle", dt.date(2027, 4, 1), recorded) == (
        "end", dt.date(2027, 3, 20), "after",
    )  # fmt: skip
    # AND a date between them, or the same day as either, fits
    for day in (1, 10, 20):
        assert parsed.out_of_order("middle", dt.date(2027, 3, day), recorded) is None
    # AND the end may not come before the start, though the middle is not recorded
    assert parsed.out_of_order("end", dt.date(2027, 2, 1), {"start": dt.date(2027, 3, 1)})


@pytest.mark.parametrize(
    ("order", "says"),
    [
        ({"middle": ["start"], "start": ["end"], "end": ["middle"]}, "follow itself"),
        ({"middle": ["nowhere"]}, "'nowhere', which is not in \\[events\\]"),
        ({"nowhere": ["start"]}, "'nowhere' is not in \\[events\\]"),
        ({"middle": "start"}, "must be a list of event keys"),
    ],
)
def test_an_event_order_that_does_not_make_sense_is_refused(
    order: dict[str, object], says: str
) -> None:
    with pytest.raises(TemplateError, match=says):
        parse_template({**ORDERED, "event_order": order}, "test.toml")


def test_a_move_may_only_set_aside_events_the_template_knows() -> None:
    moves = [{"from": "a", "to": "b", "requires": [], "sets_aside": ["nowhere"]}]
    with pytest.raises(TemplateError, match="'sets_aside' names 'nowhere'"):
        parse_template({**MINIMAL, "transitions": moves}, "test.toml")
    moves[0]["sets_aside"] = ["end"]
    move = parse_template({**MINIMAL, "transitions": moves}, "test.toml").transition("a", "b")
    assert move is not None and move.sets_aside == ("end",)


def test_the_installed_templates_order_every_recordable_event() -> None:
    """Every event an officer records (not the closure, which has its own check) has its
    place in the order, so no date escapes the check."""
    for stage_template in all_templates().values():
        ordered = set(stage_template.follows) | {
            e for earlier in stage_template.follows.values() for e in earlier
        }
        unordered = set(stage_template.events) - ordered - {
            "closed", "first_panel_meeting", "escalation_requested", "escalation_decided",
            "escalation_answered",
        }  # fmt: skip
        assert not unordered, (stage_template.key, unordered)

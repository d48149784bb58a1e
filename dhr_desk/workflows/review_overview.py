"""What the review workspace shows at the top: where the review is in its template's stages
(done, current, ahead), the moves open from here with what each still needs, the deadline
rules a revised date may be agreed for, and the recorded facts in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_desk.models import Pause, Review, StageTransition
from dhr_desk.workflows.lifecycle import (
    RECORDED_ELSEWHERE,
    NextStep,
    ReviewSummary,
    review_next_steps,
    review_summary,
)
from dhr_desk.workflows.review_changes import last_change
from dhr_desk.workflows.review_facts import ASB_EVENTS, DHR_EVENTS, collect_records
from dhr_desk.workflows.stage_templates import template
from dhr_desk.workflows.working_calendar import en_gb


@dataclass(frozen=True)
class StageStep:
    key: str
    name: str
    description: str
    state: str  # done / current / ahead


@dataclass(frozen=True)
class ReviewOverview:
    summary: ReviewSummary
    steps: tuple[StageStep, ...]
    next_steps: tuple[NextStep, ...]
    deadline_rules: tuple[tuple[str, str], ...]  # (key, name)
    facts: tuple[tuple[str, str], ...]  # (label, value in words)
    paused_since: dt.date | None
    recordable_events: tuple[tuple[str, str], ...] = ()  # (key, words) for record_event
    decision_needed: bool = False  # a DHR with no decision recorded yet
    threshold_needed: bool = False  # an ASB application with no threshold decision yet
    meeting_needed: bool = False  # ASB: the review meeting to record, with its findings
    last_change: int = 0  # review_changes.last_change when read: changes made from it check it


def review_overview(session: Session, reference: str) -> ReviewOverview:
    review = session.scalars(select(Review).where(Review.reference == reference)).first()
    if review is None:
        raise LookupError(f"There is no review {reference}.")
    # The token first: a change another user commits while the rest is read then makes the
    # token older than the view, so the next change is refused (the safe way round).
    seen = last_change(session, review.id)
    stage_template = template(review.template_key, review.template_version)
    record = collect_records(session, [review.id])[0]
    visited = set(
        session.scalars(
            select(StageTransition.to_stage).where(StageTransition.review_id == review.id)
        )
    )
    steps = []
    for stage in stage_template.stages:
        state = (
            "current"
            if stage.key == review.stage_key
            else "done"
            if stage.key in visited
            else "ahead"
        )
        steps.append(StageStep(stage.key, stage.name, stage.description, state))
    next_steps = tuple(review_next_steps(review, record.facts))
    facts = [
        ("Reference", review.reference),
        ("Title", review.title),
        ("District", review.district or "not recorded"),
        ("Stage", stage_template.stage(review.stage_key).name),
        ("Status", review.status.value.capitalize()),
        ("Lead officer", review.lead_officer.display_name if review.lead_officer else "none"),
        ("Opened", en_gb(review.opened_on)),
        ("Stage template", f"{stage_template.title} (version {stage_template.version})"),
    ]
    if review.joint_review_with:
        kind = review.joint_review_kind.value.upper() if review.joint_review_kind else ""
        facts.append(("Joint review with", f"{kind} {review.joint_review_with}".strip()))
    if review.directed_by_secretary_of_state:
        facts.append(("Directed", "by the Secretary of State"))
    for event, on in sorted(record.facts.events.items(), key=lambda item: item[1]):
        facts.append((stage_template.event_heading(event), en_gb(on)))
    for key, value in sorted(record.facts.values.items()):
        if value and key not in ("independence_statement", "closure_reason"):
            facts.append((key.replace("_", " ").capitalize(), str(value).replace("_", " ")))
    paused_since = session.scalars(
        select(Pause.started_on).where(Pause.review_id == review.id, Pause.ended_on.is_(None))
    ).first()
    columns = DHR_EVENTS if review.kind.value == "dhr" else ASB_EVENTS
    recordable = tuple(
        (event, stage_template.event_heading(event))
        for event in columns
        if event not in RECORDED_ELSEWHERE
    )
    decision_needed = review.kind.value == "dhr" and "decided" not in record.facts.events
    meeting_needed = (
        review.kind.value == "asb"
        and review.stage_key == "review_meeting"
        and "review_meeting" not in record.facts.events
    )
    threshold_needed = (
        review.kind.value == "asb"
        and "threshold_decided" not in record.facts.events
        and review.status.value != "closed"
    )
    return ReviewOverview(
        summary=review_summary(review),
        steps=tuple(steps),
        next_steps=next_steps,
        deadline_rules=tuple((rule.key, rule.name) for rule in stage_template.deadlines),
        facts=tuple(facts),
        paused_since=paused_since,
        recordable_events=recordable,
        decision_needed=decision_needed,
        threshold_needed=threshold_needed,
        meeting_needed=meeting_needed,
        last_change=seen,
    )

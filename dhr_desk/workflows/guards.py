"""Guards: what must be recorded before a review may move on, each a named rule over a plain
snapshot of the review (``ReviewFacts``) with the message that says what to record.

Stage templates name guards in their ``requires`` lists; the rules themselves live here because
they are logic, the lists because the Home Office or the partnership may change them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple


class ReviewFacts(NamedTuple):
    """What a review has recorded, as plain values (a NamedTuple: built 100,000 at a time).

    ``events``: dated events by key (e.g. ``notified``, ``decided``); ``values``: recorded
    choices (e.g. ``decision`` = ``hold``); ``counts``: tallies (e.g. ``information_requests``,
    ``information_requests_outstanding``).
    """

    kind: str
    stage: str
    events: Mapping[str, dt.date] = MappingProxyType({})
    values: Mapping[str, str | None] = MappingProxyType({})
    counts: Mapping[str, int] = MappingProxyType({})

    def has(self, event: str) -> bool:
        return event in self.events

    def tally(self, name: str) -> int:
        return self.counts.get(name, 0)


@dataclass(frozen=True)
class Guard:
    """A rule and, when it fails, what the officer must record to satisfy it."""

    key: str
    holds: Callable[[ReviewFacts], bool]
    needs: str


def _guard(key: str, needs: str) -> Callable[[Callable[[ReviewFacts], bool]], Guard]:
    def register(rule: Callable[[ReviewFacts], bool]) -> Guard:
        guard = Guard(key, rule, needs)
        GUARDS[key] = guard
        return guard

    return register


GUARDS: dict[str, Guard] = {}
#: The guards a deadline rule may name in ``when``: they read only the recorded decision or
#: threshold decision, which the deadline list gathers for every review.
DEADLINE_CONDITIONS = frozenset(
    {"decision_is_hold", "decision_is_not_hold", "threshold_met", "threshold_not_met"}
)
QA_APPROVED = ("approved", "approved_subject_to_amendments")
THRESHOLD_MET = ("met_automatically", "met_on_discretion")


# --- Domestic Homicide Reviews (2016 statutory guidance) ---------------------------------


@_guard("notification_logged", "Record the date the death came to the CSP's attention.")
def _notification_logged(f: ReviewFacts) -> bool:
    return f.has("notified")


@_guard(
    "decision_recorded",
    "Record the CSP Chair's decision (hold or not hold a review), its date and reasons.",
)
def _decision_recorded(f: ReviewFacts) -> bool:
    return f.has("decided") and f.values.get("decision") is not None


@_guard("home_office_notified", "Record the date the Home Office was told of the decision.")
def _home_office_notified(f: ReviewFacts) -> bool:
    return f.has("home_office_notified")


@_guard("decision_is_hold", "Only a decision to hold a review leads to commissioning.")
def _decision_is_hold(f: ReviewFacts) -> bool:
    return f.values.get("decision") == "hold"


@_guard(
    "review_to_be_held",
    "Only a decision to hold a review, or a direction by the Secretary of State after a "
    "decision not to, leads to commissioning.",
)
def _to_be_held(f: ReviewFacts) -> bool:
    return f.values.get("decision") == "hold" or f.has("directed")


@_guard(
    "directed_by_secretary_of_state",
    "Only a direction by the Secretary of State (s.9(2) DVCVA 2004) reopens a review closed "
    "after a decision not to hold one, and only before it has been commissioned: record the "
    "direction and its date.",
)
def _directed(f: ReviewFacts) -> bool:
    return f.has("directed") and not f.has("chair_appointed")


@_guard(
    "not_directed",
    "The Secretary of State has directed a review: it cannot close as not held. Commission it.",
)
def _not_directed(f: ReviewFacts) -> bool:
    return not f.has("directed")


@_guard("decision_is_not_hold", "Only a decision not to hold a review closes it here.")
def _decision_is_not_hold(f: ReviewFacts) -> bool:
    return f.values.get("decision") == "not_hold"


@_guard(
    "chair_appointed_with_independence_statement",
    "Appoint the independent chair and record their independence statement.",
)
def _chair(f: ReviewFacts) -> bool:
    return f.has("chair_appointed") and f.tally("independence_statement") > 0


@_guard(
    "panel_declarations_complete",
    "Add the panel members, each declaring no direct involvement with the people in the review "
    "or their line managers.",
)
def _panel(f: ReviewFacts) -> bool:
    return f.tally("panel_members") > 0 and f.tally("panel_members_undeclared") == 0


@_guard("terms_of_reference_agreed", "Record the date the terms of reference were agreed.")
def _terms(f: ReviewFacts) -> bool:
    return f.has("terms_of_reference_agreed")


@_guard("information_requests_issued", "Issue the information requests (IMRs) to agencies.")
def _requests_issued(f: ReviewFacts) -> bool:
    return f.tally("information_requests") > 0


@_guard(
    "first_family_contact_made",
    "Record the first contact with the family (Home Office leaflets, offer of advocacy).",
)
def _family(f: ReviewFacts) -> bool:
    return f.tally("family_contacts") > 0


@_guard(
    "no_outstanding_information_requests",
    "Receive every outstanding information request (or record a nil return).",
)
def _none_outstanding(f: ReviewFacts) -> bool:
    return f.tally("information_requests_outstanding") == 0


@_guard(
    "information_requests_quality_checked",
    "Quality-check every information request received.",
)
def _checked(f: ReviewFacts) -> bool:
    return f.tally("information_requests_unchecked") == 0


@_guard("action_plan_exists", "Record the recommendations with at least one action each.")
def _action_plan(f: ReviewFacts) -> bool:
    return f.tally("recommendations") > 0 and f.tally("recommendations_without_actions") == 0


@_guard("family_seen_draft", "Record the date the family saw the draft report.")
def _family_seen(f: ReviewFacts) -> bool:
    return f.has("family_seen_draft")


@_guard(
    "factual_accuracy_responses_in",
    "Ask the agencies to check the draft for factual accuracy and record every response.",
)
def _factual_accuracy(f: ReviewFacts) -> bool:
    return f.tally("factual_accuracy_requests") > 0 and f.tally("factual_accuracy_outstanding") == 0


PASSED = ("clean", "overridden")  # an override carries a recorded reason


@_guard(
    "draft_anonymisation_passed",
    "Run the anonymisation check on the draft circulated for consultation (or on the report for "
    "submission) and clear every hit, or override it with a reason.",
)
def _draft_anonymised(f: ReviewFacts) -> bool:
    return (
        f.values.get("anonymisation:circulation") in PASSED
        or f.values.get("anonymisation:submission") in PASSED
    )


@_guard(
    "submission_anonymisation_passed",
    "Run the anonymisation check on the submission pack and clear every hit, or override it "
    "with a reason.",
)
def _submission_anonymised(f: ReviewFacts) -> bool:
    return f.values.get("anonymisation:submission") in PASSED


@_guard(
    "publication_anonymisation_passed",
    "Run the anonymisation check on the publication pack and clear every hit, or override it "
    "with a reason.",
)
def _publication_anonymised(f: ReviewFacts) -> bool:
    return f.values.get("anonymisation:publication") in PASSED


@_guard("signed_off", "Record the sign-off date and who signed off.")
def _signed_off(f: ReviewFacts) -> bool:
    return f.has("signed_off")


@_guard(
    "submitted_to_home_office",
    "Record the date the report was submitted to the Home Office (after a feedback letter asking "
    "for resubmission, the date it was submitted again).",
)
def _submitted(f: ReviewFacts) -> bool:
    letter = f.events.get("qa_letter_received")
    submitted = f.events.get("submitted")
    return submitted is not None and (
        letter is None
        or f.values.get("qa_outcome") != "resubmission_required"
        or submitted > letter
    )


@_guard(
    "qa_resubmission_required",
    "Only a feedback letter requiring resubmission sends the review back to submission.",
)
def _resubmit(f: ReviewFacts) -> bool:
    return f.values.get("qa_outcome") == "resubmission_required"


@_guard("qa_approved", "Record the Home Office feedback letter approving the report.")
def _qa_approved(f: ReviewFacts) -> bool:
    return f.values.get("qa_outcome") in QA_APPROVED


@_guard("qa_amendments_done", "Finish every area for final development from the feedback letter.")
def _amendments(f: ReviewFacts) -> bool:
    return f.tally("qa_amendments_open") == 0


@_guard(
    "no_proceedings_blocking_publication",
    "Conclude (or mark as not blocking) every parallel proceeding that blocks publication.",
)
def _no_blockers(f: ReviewFacts) -> bool:
    return f.tally("proceedings_blocking_publication") == 0


@_guard("published", "Record the publication date.")
def _published(f: ReviewFacts) -> bool:
    return f.has("published")


@_guard(
    "takedown_reviewed",
    "Record the review of whether the published report stays online (due 12 months after "
    "publication); closing the review would end that clock.",
)
def _takedown(f: ReviewFacts) -> bool:
    return f.has("takedown_reviewed")


@_guard(
    "all_actions_finished",
    "Complete every action with evidence, or close it with a recorded reason.",
)
def _actions_done(f: ReviewFacts) -> bool:
    return f.tally("actions_open") == 0


# --- ASB Case Reviews (ASBCPA 2014 s.104, Schedule 4) -----------------------------------


@_guard(
    "consent_recorded",
    "An application made on the victim's behalf needs the victim's consent recorded.",
)
def _consent(f: ReviewFacts) -> bool:
    return f.values.get("on_behalf_of") != "yes" or f.values.get("victim_consent") == "yes"


@_guard(
    "closure_reason_recorded", "Record why the case is closed (e.g. the application withdrawn)."
)
def _closure_reason(f: ReviewFacts) -> bool:
    return bool(f.values.get("closure_reason"))


@_guard("spoc_assigned", "Assign the single point of contact (SPOC).")
def _spoc(f: ReviewFacts) -> bool:
    return f.has("spoc_assigned")


@_guard("applicant_contacted", "Record the date the SPOC contacted the applicant.")
def _contacted(f: ReviewFacts) -> bool:
    return f.has("applicant_contacted")


@_guard("complaints_recorded", "Record the complaints the application relies on, with dates.")
def _complaints(f: ReviewFacts) -> bool:
    return f.tally("complaints") > 0


@_guard("threshold_met", "Only a threshold decision of 'met' leads to a review meeting.")
def _met(f: ReviewFacts) -> bool:
    return f.values.get("threshold_decision") in THRESHOLD_MET


@_guard("threshold_not_met", "Only a threshold decision of 'not met' closes the case here.")
def _not_met(f: ReviewFacts) -> bool:
    return f.values.get("threshold_decision") == "not_met"


@_guard(
    "applicant_informed_of_threshold",
    "Record the date the applicant was told the threshold decision (s.104: they must be told).",
)
def _informed(f: ReviewFacts) -> bool:
    return f.has("applicant_informed")


@_guard("review_meeting_held", "Record the date the review meeting was held.")
def _meeting(f: ReviewFacts) -> bool:
    return f.has("review_meeting")


@_guard("recommendations_made", "Record the recommendations made and the date.")
def _recommendations(f: ReviewFacts) -> bool:
    return f.has("recommendations_made") or f.tally("recommendations") > 0


@_guard(
    "outcome_communicated",
    "Record the date the applicant was told the outcome (s.104: they must be told).",
)
def _outcome(f: ReviewFacts) -> bool:
    return f.has("outcome_communicated")


@_guard("escalation_requested", "Record the applicant's escalation request.")
def _escalation(f: ReviewFacts) -> bool:
    return f.has("escalation_requested") and not f.has("escalation_decided")


@_guard("escalation_upheld", "Record the escalation decision: upheld (or partly upheld).")
def _upheld(f: ReviewFacts) -> bool:
    return f.values.get("escalation_outcome") in ("upheld", "partly_upheld")


@_guard("escalation_not_upheld", "Record the escalation decision: not upheld (or withdrawn).")
def _not_upheld(f: ReviewFacts) -> bool:
    return f.values.get("escalation_outcome") in ("not_upheld", "withdrawn")

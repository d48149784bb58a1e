"""The anonymisation gate (issue #6, points 2 and 3; domain.md, "Anonymisation (hard rule)").

Each check of a document version against the review's register is recorded (who, when, for
what, the result, and where each hit is — never the identifier itself). A hit stands until a
person overrides that one hit with a written reason; the override is kept for the file's exact
content (a changed file is a new version, checked anew), written into the audit trail, and
listed in a pack's manifest. A file that cannot be checked blocks like a hit and cannot be
overridden: it must be made readable.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_desk.models import (
    AnonymisationCheck,
    AnonymisationOverride,
    AnonymisationResult,
    DocumentVersion,
    ExportPurpose,
    Review,
    ReviewPerson,
)
from dhr_desk.security import audit_chain
from dhr_desk.workflows.anonymisation_check import FileCheck, Hit, check_document
from dhr_desk.workflows.document_register import DocumentError, version_content
from dhr_desk.workflows.identifier_patterns import Identifier, RegisterEntry, register_identifiers
from dhr_desk.workflows.identifier_register import ROLE_WORDS

PURPOSES = ("circulation", "submission", "publication", "other")


@dataclass(frozen=True)
class Override:
    """A standing release of one hit."""

    hit_key: str
    file_name: str
    location: str
    kind: str
    person: str
    reason: str
    by: str
    on: str  # ISO date-time, UTC


@dataclass(frozen=True)
class GateResult:
    """The gate's verdict on a set of files: passed only with no standing hit and every file
    read."""

    checks: tuple[FileCheck, ...]
    standing: tuple[Hit, ...]
    overridden: tuple[tuple[Hit, Override], ...]

    @property
    def cannot_check(self) -> tuple[FileCheck, ...]:
        return tuple(c for c in self.checks if c.cannot_check is not None)

    @property
    def passed(self) -> bool:
        return not self.standing and not self.cannot_check


def _review(session: Session, reference: str) -> Review:
    review = session.scalars(select(Review).where(Review.reference == reference)).first()
    if review is None:
        raise DocumentError(f"There is no review {reference}.")
    return review


def person_label(person: ReviewPerson) -> str:
    """Who, without a real identifier: role and pseudonym, or role and description."""
    role = ROLE_WORDS[person.role.value]
    if person.pseudonym:
        return f"{role} '{person.pseudonym}'"
    if person.role_description:
        return f"{role} ({person.role_description}; no pseudonym yet)"
    return f"{role} (register entry {person.id}; no pseudonym yet)"


def review_identifiers(session: Session, review: Review) -> list[Identifier]:
    """Every identifier of every person in the review's register."""
    people = session.scalars(select(ReviewPerson).where(ReviewPerson.review_id == review.id))
    return register_identifiers(
        [
            RegisterEntry(
                person_id=p.id,
                label=person_label(p),
                real_name=p.real_name,
                nicknames=p.nicknames,
                date_of_birth=p.date_of_birth,
                address=p.address,
                workplace=p.workplace,
                other_identifiers=p.other_identifiers,
            )
            for p in people
        ]
    )


def overrides(session: Session, reference: str) -> list[Override]:
    """The review's standing overrides."""
    return list(_overrides(session, _review(session, reference)).values())


def _overrides(session: Session, review: Review) -> dict[str, Override]:
    rows = session.scalars(
        select(AnonymisationOverride).where(AnonymisationOverride.review_id == review.id)
    ).all()
    return {
        row.hit_key: Override(row.hit_key, row.file_name, row.location, row.kind, row.person,
                              row.reason, row.overridden_by, row.overridden_at.isoformat())
        for row in rows
    }  # fmt: skip


def _findings(check: FileCheck) -> str:
    """Where each hit is, without the identifier (the register holds that)."""
    if check.cannot_check is not None:
        return json.dumps({"cannot_check": check.cannot_check})
    where = [
        {"key": h.key, "where": h.location, "kind": h.kind, "person_id": h.person_id}
        for h in check.hits
    ]
    return json.dumps(where)


def _record(
    session: Session, actor: str, review: Review, check: FileCheck, purpose: str,
    overrides: dict[str, Override], version: DocumentVersion | None,
) -> None:  # fmt: skip
    standing = [h for h in check.hits if h.key not in overrides]
    if check.cannot_check is not None or standing:
        result = AnonymisationResult.BLOCKED
    elif check.hits:
        result = AnonymisationResult.OVERRIDDEN
    else:
        result = AnonymisationResult.CLEAN
    reasons = sorted({overrides[h.key].reason for h in check.hits if h.key in overrides})
    released = "\n".join(reasons) if result is AnonymisationResult.OVERRIDDEN else None
    session.add(
        AnonymisationCheck(
            review=review,
            document_version=version,
            target=check.file_name[:255],
            purpose=ExportPurpose(purpose),
            hit_count=len(check.hits),
            findings=_findings(check),
            result=result,
            override_reason=released,
        )
    )
    audit_chain.record(
        session, actor=actor, action="anonymisation checked", entity_type="review",
        entity_id=review.reference, review_id=review.id,
        detail={"file": check.file_name, "sha256": check.sha256, "purpose": purpose,
                "result": result.value, "hits": len(check.hits), "standing": len(standing),
                **({"cannot_check": True} if check.cannot_check is not None else {})},
    )  # fmt: skip


def _verdict(checks: list[FileCheck], overrides: dict[str, Override]) -> GateResult:
    hits = [h for c in checks for h in c.hits]
    return GateResult(
        tuple(checks),
        tuple(h for h in hits if h.key not in overrides),
        tuple((h, overrides[h.key]) for h in hits if h.key in overrides),
    )


def check_set(
    session: Session, actor: str, reference: str, *, version_ids: Sequence[int] = (),
    files: Sequence[tuple[str, bytes]] = (), purpose: str = "other",
) -> GateResult:  # fmt: skip
    """Check document versions of the review (each check recorded on its version) and files
    from outside the register, together, against the review's identifiers."""
    review = _review(session, reference)
    if purpose not in PURPOSES:
        raise DocumentError(f"'{purpose}' is not a purpose of an anonymisation check.")
    identifiers = review_identifiers(session, review)
    overrides = _overrides(session, review)
    checks = []
    for version_id in version_ids:
        name, data = version_content(session, reference, version_id)
        version = session.get(DocumentVersion, version_id)
        check = check_document(name, data, identifiers)
        _record(session, actor, review, check, purpose, overrides, version)
        checks.append(check)
    for name, data in files:
        check = check_document(name, data, identifiers)
        _record(session, actor, review, check, purpose, overrides, None)
        checks.append(check)
    verdict = _verdict(checks, overrides)
    if len(checks) > 1:  # the set's own verdict, recorded last: what the stage guards read
        _record_set(session, review, verdict, purpose)
    return verdict


def _record_set(session: Session, review: Review, verdict: GateResult, purpose: str) -> None:
    """One row for a set of files checked together (a pack), blocked if any file is: the
    stage guards read the latest result per purpose, which must not be one clean file of a
    set whose other files have hits."""
    if not verdict.passed:
        result = AnonymisationResult.BLOCKED
    elif verdict.overridden:
        result = AnonymisationResult.OVERRIDDEN
    else:
        result = AnonymisationResult.CLEAN
    session.add(
        AnonymisationCheck(
            review=review,
            document_version=None,
            target=f"{len(verdict.checks)} files checked together",
            purpose=ExportPurpose(purpose),
            hit_count=sum(len(c.hits) for c in verdict.checks),
            findings=json.dumps({
                "files": [c.file_name for c in verdict.checks],
                "standing": len(verdict.standing),
                "cannot_check": [c.file_name for c in verdict.cannot_check],
            }),
            result=result,
            override_reason="\n".join(sorted({o.reason for _, o in verdict.overridden})) or None,
        )
    )  # fmt: skip


def check_files(
    session: Session, actor: str, reference: str, files: list[tuple[str, bytes]],
    purpose: str = "other",
) -> GateResult:  # fmt: skip
    """Check files (from outside the register) against the review's identifiers; each check
    is recorded."""
    return check_set(session, actor, reference, files=files, purpose=purpose)


def check_versions(
    session: Session, actor: str, reference: str, version_ids: list[int], purpose: str
) -> GateResult:
    """Check document versions of the review; each check is recorded on its version."""
    return check_set(session, actor, reference, version_ids=version_ids, purpose=purpose)


def override_hit(
    session: Session, actor: str, reference: str, version_id: int, hit_key: str, reason: str
) -> None:
    """Release one hit of a version's latest reading, with a written reason (audited)."""
    review = _review(session, reference)
    if len(" ".join(reason.split())) < 10:
        raise DocumentError(
            "Write the reason for letting this hit through (at least a few words: e.g. 'a "
            "different person of the same first name, a public figure'). It is audited and "
            "listed in the pack."
        )
    identifiers = review_identifiers(session, review)
    if check_document("reason.txt", reason.encode("utf-8"), identifiers).hits:
        raise DocumentError(
            "The reason names a person in the register (a real name, nickname, date of birth or "
            "address): write it without the identifier, using the pseudonym or role. It goes "
            "into the audit trail and the pack's manifest."
        )
    name, data = version_content(session, reference, version_id)
    check = check_document(name, data, identifiers)
    hit = next((h for h in check.hits if h.key == hit_key), None)
    if hit is None:
        raise DocumentError(
            "That hit is no longer in the file as stored, or the register has changed: check "
            "the version again, then override what it finds."
        )
    if hit_key in _overrides(session, review):
        raise DocumentError("That hit is already overridden.")
    session.add(
        AnonymisationOverride(
            review=review,
            hit_key=hit.key,
            file_name=hit.file_name[:255],
            file_sha256=check.sha256,
            location=hit.location,
            kind=hit.kind,
            person=hit.person[:200],
            reason=" ".join(reason.split()),
            overridden_by=actor,
        )
    )
    session.flush()
    audit_chain.record(
        session, actor=actor, action="anonymisation hit overridden", entity_type="review",
        entity_id=review.reference, review_id=review.id,
        detail={"file": hit.file_name, "sha256": check.sha256, "where": hit.location,
                "kind": hit.kind, "person": hit.person, "reason": " ".join(reason.split())},
    )  # fmt: skip

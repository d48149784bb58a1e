"""The exchange format: every table and column out and back in, byte-identical; every kind of
bad file refused with its JSON path and a plain-English reason, with nothing imported."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    Table,
    Time,
    create_engine,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session

from dhr_desk.migrations import HEAD_REVISION
from dhr_desk.models import (
    Action,
    ActionMilestone,
    ActionStatus,
    Agency,
    AgencyContact,
    AgencyKind,
    AnonymisationCheck,
    AnonymisationOverride,
    AnonymisationResult,
    AsbAnnualReturn,
    AsbComplaint,
    AsbDetails,
    AsbEscalation,
    AsbEscalationOutcome,
    AsbThresholdDecision,
    AsbVictimType,
    AttendanceStatus,
    Base,
    CalendarAction,
    CalendarAdjustment,
    ChaseChannel,
    ChaseEvent,
    ContactMethod,
    DeadlineOverride,
    DeathCategory,
    DhrDecision,
    DhrDetails,
    DisposalRecord,
    Document,
    DocumentCirculation,
    DocumentKind,
    DocumentVersion,
    ExportPurpose,
    FamilyContact,
    FamilyContactKind,
    InformationRequest,
    InformationRequestKind,
    JointReviewKind,
    Meeting,
    MeetingAttendance,
    MeetingKind,
    PanelMember,
    PanelRole,
    ParallelProceeding,
    Pause,
    PauseReasonKind,
    PersonRole,
    ProceedingKind,
    ProtectiveMarking,
    QaAmendment,
    QaOutcome,
    QualityOutcome,
    Rag,
    Recommendation,
    RecommendationLevel,
    RecommendationScope,
    RetentionOutcome,
    RetentionReview,
    Review,
    ReviewAccess,
    ReviewKind,
    ReviewPerson,
    ReviewStatus,
    Setting,
    StageTransition,
    Theme,
    User,
    UserRole,
)
from dhr_desk.security import audit_chain
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.errors import NothingDone
from dhr_desk.store.location import DataLocation
from dhr_desk.store.store import Store, open_store
from dhr_desk.workflows import exchange
from dhr_desk.workflows.exchange import (
    ExchangeError,
    ExchangeProblem,
    StoreNotEmpty,
    UnsupportedColumnType,
    dumps,
    export_store,
    import_store,
    loads,
    validate,
)
from tests.conftest import refuse_prompt

DATA_AS_OF = dt.datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=dt.UTC)
PDF_BYTES = b"%PDF-1.7\n\x00\x01\xfe\xff fictional overview report \xe2\x82\xac\n%%EOF\n"
UTC_PLUS_ONE = dt.timezone(dt.timedelta(hours=1))


# ---------------------------------------------------------------------------------------------
# A rich, wholly fictional data set: every table gets at least one row.


def populate(session: Session) -> None:
    officer = User(
        username="officer.ambrose",
        display_name="Ambrose Quillfeather",
        email="ambrose.quillfeather@example.invalid",
        role=UserRole.OFFICER,
    )
    manager = User(username="manager.brisk", display_name="Brisk Tallowmere", role=UserRole.MANAGER)
    chair_user = User(
        username="chair.corvina",
        display_name="Corvina Ashdown-Vale",
        role=UserRole.CHAIR,
        active=False,
    )
    session.add_all([officer, manager, chair_user])

    police = Agency(
        name="Fenmarsh Constabulary", short_name="FC", kind=AgencyKind.POLICE, district="Fenmarsh"
    )
    health = Agency(
        name="Mistwold Integrated Care Board",
        kind=AgencyKind.HEALTH,
        asb_relevant_body=True,
        address="1 Example Row\nMistwold\nZZ99 9ZZ",
    )
    charity = Agency(name="Lanternlight Advocacy (fictional)", kind=AgencyKind.VOLUNTARY)
    session.add_all([police, health, charity])
    sergeant = AgencyContact(
        agency=police,
        name="Sgt Hollis Vantablack",
        role="Review liaison",
        email="hollis.vantablack@example.invalid",
        phone="01632 960000",
        is_agency_lead=True,
    )
    nurse = AgencyContact(agency=health, name="Orla Pennywhistle", is_board_representative=True)
    session.add_all([sergeant, nurse])

    coercion = Theme(name="coercive control", description="Patterns of controlling behaviour")
    sharing = Theme(name="information sharing", active=False)
    session.add_all([coercion, sharing])

    dhr = Review(
        reference="DHR-2026-001",
        kind=ReviewKind.DHR,
        title="Adult A (a fictional review) — “quotes”, emoji 🕯️ and 中文",
        district="Fenmarsh",
        stage_key="information_gathering",
        template_key="dhr",
        template_version="2016.1",
        status=ReviewStatus.PAUSED,
        lead_officer=officer,
        opened_on=dt.date(2026, 1, 5),
        directed_by_secretary_of_state=True,
        joint_review_with="SAR-2026-03",
        joint_review_kind=JointReviewKind.SAR,
    )
    asb = Review(
        reference="ASB-2025-007",
        kind=ReviewKind.ASB,
        title="Case Review 7",
        stage_key="closed",
        template_key="asb",
        template_version="2023.1",
        status=ReviewStatus.CLOSED,
        opened_on=dt.date(2025, 11, 3),
        closed_on=dt.date(2026, 2, 27),
        closure_reason="Recommendations made and accepted",
    )
    session.add_all([dhr, asb])

    victim = ReviewPerson(
        review=dhr,
        role=PersonRole.VICTIM,
        relationship_to_victim=None,
        real_name="Zephyrine Okonkwo-Brightwater",
        nicknames="Zeph\nZee",
        date_of_birth=dt.date(1984, 2, 29),
        date_of_death=dt.date(2025, 12, 24),
        address="Flat 0, Nowhere Court, Fenmarsh",
        pseudonym="Adult A",
        pseudonym_agreed_with_family=True,
    )
    perpetrator = ReviewPerson(
        review=dhr,
        role=PersonRole.PERPETRATOR,
        role_description="Partner",
        relationship_to_victim="partner",
        real_name="Thaddeus Grimbleshanks",
        pseudonym="Adult B",
    )
    gp = ReviewPerson(
        review=dhr, role=PersonRole.PROFESSIONAL, role_description="GP 1", real_name="Dr Ilse Moth"
    )
    session.add_all([victim, perpetrator, gp])

    chair = PanelMember(
        review=dhr,
        name="Corvina Ashdown-Vale",
        role=PanelRole.CHAIR,
        appointed_on=dt.date(2026, 2, 1),
        independence_declaration="No prior involvement with any agency in this review.",
        declared_no_involvement=True,
        declared_on=dt.date(2026, 2, 1),
    )
    author = PanelMember(review=dhr, name="Perpetua Inkwell", role=PanelRole.AUTHOR)
    member = PanelMember(
        review=dhr,
        agency=police,
        agency_contact=sergeant,
        name="Sgt Hollis Vantablack",
        job_title="Detective Sergeant",
        email="hollis.vantablack@example.invalid",
        role=PanelRole.MEMBER,
        stood_down_on=dt.date(2026, 3, 1),
    )
    session.add_all([chair, author, member])

    session.add(
        DhrDetails(
            review=dhr,
            date_of_death=dt.date(2025, 12, 24),
            date_notified=dt.date(2026, 1, 2),
            referrer="Fenmarsh Constabulary",
            referrer_agency=police,
            death_category=DeathCategory.HOMICIDE,
            records_secured_requested=True,
            records_secured_requested_on=dt.date(2026, 1, 3),
            decision=DhrDecision.HOLD,
            decision_date=dt.date(2026, 1, 20),
            decision_by="CSP Chair",
            chair=chair,
            author=author,
            scoping_period_start=dt.date(2020, 1, 1),
            scoping_period_end=dt.date(2025, 12, 24),
            tribute_agreed_with_family=None,
            qa_outcome=QaOutcome.APPROVED_SUBJECT_TO_AMENDMENTS,
            publication_url="https://example.invalid/dhr/adult-a",
            embargo_until=dt.date(2026, 5, 1),
        )
    )
    session.add(
        AsbDetails(
            review=asb,
            received_on=dt.date(2025, 11, 3),
            received_via="online form",
            applicant_name="Marigold Fernsby",
            applicant_email="marigold.fernsby@example.invalid",
            on_behalf_of=True,
            victim_name="Basil Fernsby",
            victim_consent=True,
            victim_consent_recorded_on=dt.date(2025, 11, 4),
            victim_type=AsbVictimType.INDIVIDUAL,
            spoc_agency=health,
            threshold_decision=AsbThresholdDecision.MET_AUTOMATICALLY,
            threshold_decided_on=dt.date(2025, 11, 20),
        )
    )
    session.add_all(
        [
            AsbComplaint(
                review=asb,
                incident_date=dt.date(2025, 9, 1),
                complained_on=dt.date(2025, 9, 2),
                complained_to_agency=police,
                description="Noise at night",
            ),
            AsbEscalation(
                review=asb,
                requested_on=dt.date(2026, 1, 10),
                requested_by="Marigold Fernsby",
                outcome=AsbEscalationOutcome.NOT_UPHELD,
            ),
            QaAmendment(review=dhr, description="Clarify the chronology", raised_on=None),
        ]
    )

    panel = Meeting(
        review=dhr,
        kind=MeetingKind.PANEL,
        scheduled_for=dt.date(2026, 2, 10),
        starts_at=dt.datetime(2026, 2, 10, 10, 30, 0, 123456, tzinfo=UTC_PLUS_ONE),
        held_on=dt.date(2026, 2, 10),
        location="Room 2, Fictional House",
    )
    session.add(panel)
    session.add_all(
        [
            MeetingAttendance(meeting=panel, panel_member=chair, attended=AttendanceStatus.PRESENT),
            MeetingAttendance(
                meeting=panel,
                panel_member=member,
                attended=AttendanceStatus.APOLOGIES,
                substitute="PC Rowan Thistledown",
            ),
        ]
    )

    imr = InformationRequest(
        review=dhr,
        agency=police,
        contact=sergeant,
        kind=InformationRequestKind.IMR,
        agency_reference="FC/0001",
        requested_on=dt.date(2026, 2, 11),
        due_on=dt.date(2026, 3, 25),
        received_on=dt.date(2026, 3, 20),
        quality_outcome=QualityOutcome.ACCEPTED,
    )
    session.add(imr)
    session.add(
        FamilyContact(
            review=dhr,
            person=victim,
            contact_kind=FamilyContactKind.FAMILY,
            contacted_on=dt.date(2026, 2, 3),
            method=ContactMethod.VIA_INTERMEDIARY,
            leaflet_given=True,
            advocate_offered=True,
            advocate_organisation="Lanternlight Advocacy (fictional)",
        )
    )
    session.add(
        ParallelProceeding(
            review=dhr,
            kind=ProceedingKind.CRIMINAL_TRIAL,
            lead_body="CPS",
            next_date=dt.date(2026, 9, 1),
        )
    )

    report = Document(
        review=dhr,
        kind=DocumentKind.OVERVIEW_REPORT,
        title="Overview report (draft)",
        marking=ProtectiveMarking.OFFICIAL_SENSITIVE,
        information_request=imr,
        meeting=panel,
    )
    session.add(report)
    in_row = DocumentVersion(
        document=report,
        number=1,
        created_by=officer,
        author="Perpetua Inkwell",
        file_name="overview-v1.pdf",
        media_type="application/pdf",
        sha256="a" * 64,
        size_bytes=len(PDF_BYTES),
        content=PDF_BYTES,
    )
    on_disk = DocumentVersion(
        document=report,
        number=2,
        created_at=dt.datetime(2026, 3, 1, 12, 0, 0, 1, tzinfo=dt.UTC),
        file_name="overview-v2.pdf",
        sha256="b" * 64,
        size_bytes=5_000_000_000,  # BigInteger: beyond 32 bits
        storage_path="documents/1/2/overview-v2.pdf",
        content=None,
    )
    session.add_all([in_row, on_disk])
    session.add(
        DocumentCirculation(
            document_version=in_row,
            sent_to="Family of Adult A",
            sent_by=officer,
            returned_on=dt.date(2026, 3, 12),
        )
    )
    session.add(
        AnonymisationCheck(
            review=dhr,
            document_version=in_row,
            target="overview-v1.pdf",
            purpose=ExportPurpose.CIRCULATION,
            checked_by=officer,
            hit_count=1,
            findings=json.dumps([{"where": "body", "person_id": 1}]),
            result=AnonymisationResult.OVERRIDDEN,
            override_reason="The hit is the pseudonym's initial",
            overridden_at=dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC),
            overridden_by=manager,
        )
    )
    session.add(
        AnonymisationOverride(
            review=dhr,
            hit_key="3f2a9c0d1b7e6a5c4d3e",
            file_name="overview-v1.pdf",
            file_sha256=in_row.sha256,
            location="page 4, line 12",
            kind="forename",
            person="Victim 'Adult A'",
            reason="A different person of the same first name, named in a published source",
            overridden_by="Review officer",
            overridden_at=dt.datetime(2026, 3, 2, 8, 5, tzinfo=dt.UTC),
        )
    )

    rec = Recommendation(
        review=dhr,
        number=1,
        text="Agencies should share risk information promptly.",
        level=RecommendationLevel.MULTI_AGENCY,
        scope=RecommendationScope.LOCAL,
        themes=[coercion, sharing],
        lead_agency=police,
    )
    session.add(rec)
    action = Action(
        recommendation=rec,
        number=1,
        description="Write a protocol",
        lead_agency=police,
        owner_contact=sergeant,
        target_date=dt.date(2026, 12, 31),
        status=ActionStatus.IN_PROGRESS,
        rag=Rag.AMBER,
        rag_reason="Drafting slower than planned",
        progress_updated_at=dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC),
        evidence_documents=[report],
    )
    session.add(action)
    session.add_all(
        [
            ActionMilestone(action=action, description="Draft agreed", due_on=dt.date(2026, 6, 1)),
            ChaseEvent(
                action=action,
                recipient_email="hollis.vantablack@example.invalid",
                escalation_level=1,
                channel=ChaseChannel.EML_DRAFT,
                digest_id="digest-2026-03-01",
                sent_by=officer,
            ),
        ]
    )

    session.add_all(
        [
            StageTransition(review=dhr, from_stage=None, to_stage="notified", by_user=officer),
            StageTransition(review=dhr, from_stage="notified", to_stage="decision"),
            Pause(
                review=dhr,
                started_on=dt.date(2026, 3, 1),
                reason_kind=PauseReasonKind.TRIAL,
                reason="Criminal trial listed",
            ),
            DeadlineOverride(
                review=dhr,
                deadline_key="completion",
                revised_date=dt.date(2026, 10, 31),
                reason="Trial",
                approver="CSP Chair",
                recorded_by=manager,
            ),
            RetentionReview(
                review=asb,
                reviewed_on=dt.date(2026, 3, 1),
                outcome=RetentionOutcome.RETAIN,
                retain_until=dt.date(2032, 3, 1),
                reason="Linked litigation (fictional)",
                decided_by="Brisk Tallowmere",
            ),
            DisposalRecord(
                record_class="asb_case_review",
                review_reference="ASB-2019-001",
                description="All records of a fictional 2019 case review",
                destroyed_by="Brisk Tallowmere",
            ),
            ReviewAccess(review=dhr, user=chair_user, granted_by=manager),
            # Two keys whose order differs between code-point and locale collation.
            Setting(key="reports.display_name", value=json.dumps("DHR"), updated_by=manager),
            Setting(key="Reports.Legacy", value=json.dumps({"a": [1, 2]})),
            AsbAnnualReturn(
                period_start=dt.date(2025, 4, 1),
                period_end=dt.date(2026, 3, 31),
                figures=json.dumps({"received": 7, "not_met": 2}),
                recorded_by=manager,
            ),
            CalendarAdjustment(
                day=dt.date(2026, 5, 8),
                action=CalendarAction.ADD,
                name="One-off bank holiday (fictional)",
                source="manual",
                recorded_by=manager,
            ),
        ]
    )
    session.flush()
    audit_chain.record(session, actor="officer.ambrose", action="create", entity_type="review")
    audit_chain.record(
        session,
        actor="manager.brisk",
        action="grant_access",
        entity_type="review_access",
        entity_id=1,
        review_id=dhr.id,
        detail={"user": "chair.corvina"},
    )


def open_other(tmp_path: Path, name: str, secrets: SecretStore) -> Store:
    return open_store(DataLocation(tmp_path / name), secrets=secrets, prompt=refuse_prompt)


def exported(store: Store) -> str:
    with store.sessions() as session:
        return dumps(export_store(session, data_as_of=DATA_AS_OF))


def row_counts(store: Store) -> dict[str, int]:
    with store.sessions() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def assert_empty(store: Store) -> None:
    assert set(row_counts(store).values()) == {0}


@pytest.fixture(scope="module")
def valid_document() -> dict[str, Any]:
    """The fictional data set exported from a throwaway in-memory database (no keyring needed),
    for the tests that only validate; the round trips use real stores."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        conn.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": HEAD_REVISION})
    with Session(engine) as session:
        populate(session)
        session.commit()
        document = export_store(session, data_as_of=DATA_AS_OF)
    engine.dispose()
    return document


@pytest.fixture
def document(valid_document: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy each test may spoil."""
    return copy.deepcopy(valid_document)


def rows(document: dict[str, Any], table: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = document["tables"][table]
    return result


def problems_of(document: object) -> list[tuple[str, str]]:
    return [(p.path, p.reason) for p in validate(document)]


# ---------------------------------------------------------------------------------------------
# Coverage: nothing can silently drop out of the format


def test_the_fixture_puts_rows_in_every_table(valid_document: dict[str, Any]) -> None:
    # GIVEN the fictional data set WHEN exported THEN every table of the model has rows, so the
    # round trip below exercises every table and every column type
    empty = [name for name in Base.metadata.tables if not valid_document["tables"].get(name)]
    assert empty == [], f"add rows for these tables to populate(): {empty}"
    assert list(valid_document["tables"]) == [t.name for t in Base.metadata.sorted_tables]


def test_every_column_of_the_model_has_an_encoding_and_is_written() -> None:
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            exchange.column_kind(column)  # raises UnsupportedColumnType for an unknown type
    schema = exchange.build_schema()
    for table in Base.metadata.sorted_tables:
        assert schema["$defs"][table.name]["required"] == [c.name for c in table.columns]


@pytest.mark.parametrize(
    "column_type", [Numeric(10, 2), JSON(), Time(), DateTime(timezone=True)], ids=repr
)
def test_a_column_type_without_an_encoding_fails_loudly(column_type: Any) -> None:
    # GIVEN a future column of a type the format does not know WHEN it is encoded THEN it fails
    table = Table("future", MetaData(), Column("id", Integer, primary_key=True))
    column = Column("amount", column_type)
    table.append_column(column)
    with pytest.raises(UnsupportedColumnType, match=r"future\.amount"):
        exchange.column_kind(column)


def test_the_committed_schema_is_the_generated_one() -> None:
    committed = exchange.SCHEMA_FILE.read_text(encoding="utf-8")
    assert committed == exchange.schema_text(), (
        "resources/exchange-format.schema.json is out of date with the models: run "
        "'python -m dhr_desk.workflows.exchange --write-schema' (and bump FORMAT_VERSION with "
        "an upgrade step if files of the previous shape no longer validate)"
    )
    assert exchange.main(["--check-schema"]) == 0


def test_the_committed_schema_accepts_an_export_with_any_draft_2020_12_validator(
    valid_document: dict[str, Any],
) -> None:
    # GIVEN the schema file as another program would use it
    schema = json.loads(exchange.SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    # THEN an export meets it and a spoilt one does not
    assert list(validator.iter_errors(valid_document)) == []
    spoilt = copy.deepcopy(valid_document)
    spoilt["tables"]["reviews"][0]["kind"] = "xyz"
    assert [e.validator for e in validator.iter_errors(spoilt)] == ["enum"]


# ---------------------------------------------------------------------------------------------
# Export: shape, encodings, stability


def test_the_export_has_the_documented_shape_and_encodings(valid_document: dict[str, Any]) -> None:
    doc = valid_document
    assert list(doc) == ["format", "format_version", "schema_revision", "data_as_of", "tables"]
    assert doc["format"] == "dhr-desk-exchange"
    assert doc["format_version"] == exchange.FORMAT_VERSION == 5
    assert doc["schema_revision"] == HEAD_REVISION
    assert doc["data_as_of"] == "2026-03-14T09:26:53.589793Z"

    dhr = rows(doc, "reviews")[0]
    assert list(dhr) == sorted(dhr)  # keys sorted within a row
    assert dhr["opened_on"] == "2026-01-05"  # date
    assert dhr["kind"] == "dhr" and dhr["status"] == "paused"  # enum values, not names
    assert dhr["directed_by_secretary_of_state"] is True
    assert dhr["closed_on"] is None  # nulls are written, never left out
    assert dhr["version"] == 1 and dhr["created_at"].endswith("Z")

    meeting = rows(doc, "meetings")[0]
    assert meeting["starts_at"] == "2026-02-10T09:30:00.123456Z"  # an instant, in UTC

    versions = rows(doc, "document_versions")
    assert [v["id"] for v in versions] == [1, 2]  # rows by primary key
    assert base64.b64decode(versions[0]["content"]) == PDF_BYTES  # binary as base64
    assert versions[1]["content"] is None and versions[1]["size_bytes"] == 5_000_000_000
    assert versions[1]["created_at"] == "2026-03-01T12:00:00.000001Z"

    # text keys sorted by code point, the same on SQLite and PostgreSQL
    assert [s["key"] for s in rows(doc, "settings")] == ["Reports.Legacy", "reports.display_name"]
    assert rows(doc, "recommendation_themes") == [
        {"recommendation_id": 1, "theme_id": 1},
        {"recommendation_id": 1, "theme_id": 2},
    ]
    assert validate(doc) == []


def test_the_file_text_is_stable_and_in_dependency_order(valid_document: dict[str, Any]) -> None:
    text_ = dumps(valid_document)
    assert text_.endswith("}\n") and text_.startswith('{\n  "format": "dhr-desk-exchange",')
    assert "Adult A (a fictional review) — “quotes”, emoji 🕯️ and 中文" in text_  # UTF-8, as is
    positions = [text_.index(f'\n    "{t.name}": [') for t in Base.metadata.sorted_tables]
    assert positions == sorted(positions)
    # parsing and writing again changes nothing, whatever order the keys were read in
    shuffled = json.loads(text_)
    shuffled["tables"] = dict(reversed(list(shuffled["tables"].items())))
    assert dumps(loads(text_)) == text_ == dumps(shuffled)


def test_data_as_of_must_be_an_aware_instant(embedded_store: Store) -> None:
    with embedded_store.sessions() as session:
        with pytest.raises(ValueError, match="timezone-aware"):
            export_store(session, data_as_of=dt.datetime(2026, 1, 1, 12, 0))
        empty = export_store(session)["data_as_of"]
    assert empty == "1970-01-01T00:00:00.000000Z"  # an empty store records no instant


def test_data_as_of_is_the_newest_instant_recorded(embedded_store: Store) -> None:
    from dhr_desk.models import Agency, AgencyKind

    with embedded_store.sessions.begin() as session:
        session.add(Agency(name="Fictional Agency", kind=AgencyKind.OTHER))
    with embedded_store.sessions() as session:
        document = export_store(session)
    agency = document["tables"]["agencies"][0]
    assert document["data_as_of"] == max(agency["created_at"], agency["updated_at"])
    with embedded_store.sessions() as session:
        assert dumps(export_store(session)) == dumps(document)  # the same data, the same file


def test_write_file_is_private_and_holds_the_dumped_text(
    valid_document: dict[str, Any], tmp_path: Path
) -> None:
    path = exchange.write_file(tmp_path / "store.json", valid_document)
    assert path.read_text(encoding="utf-8") == dumps(valid_document)
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(tmp_path.glob("*.partial"))
    assert exchange.read_file(path) == valid_document


# ---------------------------------------------------------------------------------------------
# The round trip: export -> import into an empty store -> export is byte-identical


def test_round_trip_into_any_store_gives_an_identical_file(
    any_store: Store, tmp_path: Path, secrets: SecretStore
) -> None:
    # GIVEN an embedded store holding the fictional data set
    source = open_other(tmp_path, "source", secrets)
    try:
        with source.sessions.begin() as session:
            populate(session)
        first = exported(source)
    finally:
        source.close()
    # WHEN its export is imported into an empty store (embedded, or PostgreSQL)
    with any_store.sessions.begin() as session:
        summary = import_store(session, loads(first))
    # THEN exporting that store gives the same bytes
    assert exported(any_store) == first
    document = json.loads(first)
    assert summary.rows == {name: len(r) for name, r in document["tables"].items()}
    assert summary.total == sum(summary.rows.values()) and summary.schema_revision == HEAD_REVISION
    with any_store.sessions.begin() as session:
        # the audit chain survives, to the microsecond
        assert audit_chain.verify(session).intact
        # the ORM works on the imported rows: optimistic locking picks up their versions, and
        # new rows get fresh ids (PostgreSQL's sequences were moved past the imported ids)
        review = session.scalars(select(Review).where(Review.reference == "DHR-2026-001")).one()
        review.title = "Adult A (retitled)"
        theme = Theme(name="housing")
        session.add(theme)
        session.flush()
        assert review.version == 2
        assert theme.id == 1 + max(t["id"] for t in document["tables"]["themes"])
        audit_chain.record(session, actor="officer.ambrose", action="edit", entity_type="review")
    with any_store.sessions() as session:
        assert audit_chain.verify(session).intact


def test_round_trip_out_of_any_store_gives_an_identical_file(
    any_store: Store, tmp_path: Path, secrets: SecretStore
) -> None:
    # GIVEN the fictional data set in the store under test (embedded, or PostgreSQL)
    with any_store.sessions.begin() as session:
        populate(session)
    first = exported(any_store)
    assert exported(any_store) == first  # two exports of the same data are byte-identical
    # WHEN it is imported into an empty embedded store and exported again
    target = open_other(tmp_path, "target", secrets)
    try:
        with target.sessions.begin() as session:
            import_store(session, loads(first))
        # THEN the file is the same
        assert exported(target) == first
    finally:
        target.close()


def test_an_empty_store_round_trips_too(embedded_store: Store, tmp_path: Path) -> None:
    first = exported(embedded_store)
    assert all(r == [] for r in json.loads(first)["tables"].values())
    document = loads(first)
    assert validate(document) == []
    with embedded_store.sessions.begin() as session:
        assert import_store(session, document).total == 0
    assert exported(embedded_store) == first


def test_import_into_a_store_that_holds_data_is_refused_and_changes_nothing(
    embedded_store: Store, valid_document: dict[str, Any]
) -> None:
    # GIVEN a store with one agency in it
    with embedded_store.sessions.begin() as session:
        session.add(Agency(name="Quietbrook Parish Council", kind=AgencyKind.DISTRICT_COUNCIL))
    before = exported(embedded_store)
    # WHEN a valid file is imported THEN it is refused, saying why
    with embedded_store.sessions.begin() as session, pytest.raises(StoreNotEmpty) as caught:
        import_store(session, copy.deepcopy(valid_document))
    assert "agencies: 1" in str(caught.value) and "Nothing was imported" in str(caught.value)
    assert isinstance(caught.value, NothingDone)
    # AND the store is as it was
    assert exported(embedded_store) == before


# ---------------------------------------------------------------------------------------------
# Files that cannot be read at all


def test_a_truncated_file_is_reported_as_such(valid_document: dict[str, Any]) -> None:
    whole = dumps(valid_document)
    with pytest.raises(ExchangeError) as caught:
        loads(whole[: len(whole) // 2])
    [problem] = caught.value.problems
    assert problem.path == "$"
    assert problem.reason.startswith("the file is not valid JSON: ")
    assert problem.reason.endswith("(the file ends too early: is it truncated?)")
    assert " at line " in problem.reason and " column " in problem.reason


@pytest.mark.parametrize(
    ("text_", "reason"),
    [
        ("", "the file is empty"),
        ("  \n", "the file is empty"),
        (
            "Dear colleague,\nplease find attached",
            "the file is not valid JSON: Expecting value at line 1 column 1",
        ),
        (
            '{"format": "dhr-desk-exchange",, "tables": {}}',
            "the file is not valid JSON: Expecting property name enclosed in double quotes"
            " at line 1 column 32",
        ),
        (
            '{"format": "dhr-desk-exchange", "format": "other"}',
            "the file is not usable JSON: the field 'format' appears twice in one object, so it"
            " is unclear which value is meant",
        ),
        (
            '{"format_version": NaN}',
            "the file is not valid JSON: it contains NaN, which JSON does not allow",
        ),
    ],
)
def test_text_that_is_not_json_is_refused_with_a_plain_reason(text_: str, reason: str) -> None:
    with pytest.raises(ExchangeError) as caught:
        loads(text_)
    assert caught.value.problems == (ExchangeProblem("$", reason),)
    assert "nothing was imported" in str(caught.value)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"title": "café"}'.encode("latin-1"))
    with pytest.raises(ExchangeError, match="not UTF-8 text"):
        exchange.read_file(path)
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + b'{"a": 1}')
    assert exchange.read_file(bom) == {"a": 1}
    with pytest.raises(NothingDone, match="could not be read"):
        exchange.read_file(tmp_path / "missing.json")


# ---------------------------------------------------------------------------------------------
# Files of the wrong kind or version


def test_a_file_from_a_newer_dhr_desk_gives_one_clear_problem(document: dict[str, Any]) -> None:
    document["format_version"] = exchange.FORMAT_VERSION + 1
    document["tables"]["brand_new_table"] = [{"id": 1}]  # not judged: the version says it all
    assert problems_of(document) == [
        (
            "$.format_version",
            "this file was written by a newer dhr-desk (format version 6; this version reads up"
            " to 5). Update dhr-desk, then import it again",
        )
    ]


def test_a_version_1_file_is_upgraded_on_the_way_in_and_imports(
    embedded_store: Store, valid_document: dict[str, Any]
) -> None:
    # GIVEN a file as format version 1 wrote it: no lead agencies table, actions without the
    # RAG reason and progress time (schema revision 0001)
    old = copy.deepcopy(valid_document)
    old["format_version"] = 1
    del old["tables"]["recommendation_lead_agencies"], old["tables"]["action_evidence_documents"]
    del old["tables"]["anonymisation_overrides"]
    for row in old["tables"]["actions"]:
        del row["rag_reason"], row["progress_updated_at"]
    for row in old["tables"]["document_versions"]:
        del row["status"], row["marking"]
    for row in old["tables"]["dhr_details"]:
        del row["embargo_until"]
    # WHEN it is imported THEN it is taken to version 5 in memory (through 2, 3 and 4) and
    # imports whole, its document versions drafts marked OFFICIAL-SENSITIVE as the migration
    # makes them, no embargo recorded
    with embedded_store.sessions.begin() as session:
        import_store(session, old)
    with embedded_store.sessions() as session:
        action = session.scalars(select(Action)).one()
        assert action.rag_reason is None and action.progress_updated_at is None
        assert session.scalars(select(Recommendation)).one().lead_agency is None
        assert session.scalars(select(Action)).one().evidence_documents == []
        versions = session.scalars(select(DocumentVersion)).all()
        assert versions and {(v.status.value, v.marking.value) for v in versions} == {
            ("draft", "official_sensitive")
        }
        assert session.scalars(select(AnonymisationOverride)).all() == []
        assert {d.embargo_until for d in session.scalars(select(DhrDetails))} == {None}
    assert "recommendation_lead_agencies" not in old["tables"]  # the caller's copy untouched


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (
            lambda d: [],
            [("$", "an exchange file holds one JSON object, but this one holds a list")],
        ),
        (
            lambda d: {"tables": d["tables"]},
            [("$", "this is not a dhr-desk exchange file: it has no 'format' field")],
        ),
        (
            lambda d: {**d, "format": "dhr-desk-backup"},
            [
                (
                    "$.format",
                    "this is not a dhr-desk exchange file: the format is 'dhr-desk-backup', not"
                    " 'dhr-desk-exchange'",
                )
            ],
        ),
        (
            lambda d: {**d, "format_version": "1"},
            [("$.format_version", "expected a whole number, found the text '1'")],
        ),
        (
            lambda d: {**d, "format_version": 0},
            [("$.format_version", "there is no format version 0")],
        ),
    ],
    ids=["a-list", "no-format", "other-format", "version-as-text", "version-zero"],
)
def test_a_file_of_another_kind_is_refused(
    document: dict[str, Any],
    spoil: Callable[[dict[str, Any]], object],
    expected: list[tuple[str, str]],
) -> None:
    assert problems_of(spoil(document)) == expected


# ---------------------------------------------------------------------------------------------
# Field-level problems: each with its JSON path and a plain-English reason


def _set(table: str, index: int, field: str, value: object) -> Callable[[dict[str, Any]], None]:
    def spoil(document: dict[str, Any]) -> None:
        document["tables"][table][index][field] = value

    return spoil


def _drop(table: str, index: int, field: str) -> Callable[[dict[str, Any]], None]:
    def spoil(document: dict[str, Any]) -> None:
        del document["tables"][table][index][field]

    return spoil


CASES: list[tuple[str, Callable[[dict[str, Any]], None], list[tuple[str, str]]]] = [
    (
        "missing-field",
        _drop("reviews", 1, "reference"),
        [("$.tables.reviews[1]", "missing required field 'reference'")],
    ),
    (
        "missing-nullable-field",
        _drop("reviews", 0, "district"),
        [
            (
                "$.tables.reviews[0]",
                "missing required field 'district' (write null if it has no value)",
            )
        ],
    ),
    (
        "wrong-type",
        _set("reviews", 0, "directed_by_secretary_of_state", "yes"),
        [
            (
                "$.tables.reviews[0].directed_by_secretary_of_state",
                "expected true or false, found the text 'yes'",
            )
        ],
    ),
    (
        "number-as-text",
        _set("reviews", 0, "lead_officer_id", "1"),
        [
            (
                "$.tables.reviews[0].lead_officer_id",
                "expected a whole number or null, found the text '1'",
            )
        ],
    ),
    (
        "fractional-id",
        _set("users", 0, "id", 1.0),
        [("$.tables.users[0].id", "expected a whole number, found the number 1.0")],
    ),
    (
        "null-where-required",
        _set("reviews", 0, "opened_on", None),
        [("$.tables.reviews[0].opened_on", "expected a date written YYYY-MM-DD, found null")],
    ),
    (
        "impossible-date",
        _set("reviews", 0, "opened_on", "2027-02-30"),
        [("$.tables.reviews[0].opened_on", "'2027-02-30' is not a real date")],
    ),
    (
        "british-date",
        _set("reviews", 0, "opened_on", "05/01/2026"),
        [("$.tables.reviews[0].opened_on", "'05/01/2026' is not a date written YYYY-MM-DD")],
    ),
    (
        "local-time",
        _set("meetings", 0, "starts_at", "2026-02-10T10:30:00+01:00"),
        [
            (
                "$.tables.meetings[0].starts_at",
                "'2026-02-10T10:30:00+01:00' is not a UTC date and time written"
                " YYYY-MM-DDTHH:MM:SS.ffffffZ (six decimal places, ending in Z)",
            )
        ],
    ),
    (
        "impossible-instant",
        _set("meetings", 0, "starts_at", "2026-02-10T25:30:00.000000Z"),
        [
            (
                "$.tables.meetings[0].starts_at",
                "'2026-02-10T25:30:00.000000Z' is not a real date and time",
            )
        ],
    ),
    (
        "unknown-enum",
        _set("reviews", 0, "kind", "xyz"),
        [("$.tables.reviews[0].kind", "'xyz' is not one of the allowed values: dhr, asb")],
    ),
    (
        "enum-name-not-value",
        _set("reviews", 0, "joint_review_kind", "SAR"),
        [
            (
                "$.tables.reviews[0].joint_review_kind",
                "'SAR' is not one of the allowed values: sar, cspr, other (or null)",
            )
        ],
    ),
    (
        "too-long",
        _set("reviews", 0, "reference", "R" * 33),
        [
            (
                "$.tables.reviews[0].reference",
                "the text is 33 characters long; at most 32 are allowed here",
            )
        ],
    ),
    (
        "too-large",
        _set("document_versions", 1, "size_bytes", 2**63),
        [
            (
                "$.tables.document_versions[1].size_bytes",
                f"{2**63} is too large (the most allowed is {2**63 - 1})",
            )
        ],
    ),
    (
        "bad-base64",
        _set("document_versions", 0, "content", "not base64!"),
        [("$.tables.document_versions[0].content", "the content is not valid base64 text")],
    ),
    (
        "nul-character",
        _set("agencies", 0, "notes", "before\x00after"),
        [
            (
                "$.tables.agencies[0].notes",
                "the text contains a NUL character (\\u0000), which cannot be stored",
            )
        ],
    ),
    (
        "base64-with-a-line-break",
        _set("document_versions", 0, "content", "QUJD\n"),
        [("$.tables.document_versions[0].content", "the content is not valid base64 text")],
    ),
    (
        "lone-surrogate",
        _set("agencies", 0, "notes", "broken \ud800 escape"),
        [
            (
                "$.tables.agencies[0].notes",
                "the text contains an unpaired surrogate (a broken \\uXXXX escape)",
            )
        ],
    ),
    (
        "date-with-a-line-break",
        _set("reviews", 0, "opened_on", "2026-01-05\n"),
        [("$.tables.reviews[0].opened_on", "'2026-01-05\\n' is not a real date")],
    ),
    (
        "unknown-field",
        _set("users", 0, "password", "hunter2"),
        [
            (
                "$.tables.users[0].password",
                "unknown field 'password': the users table has no such column",
            )
        ],
    ),
    (
        "row-not-an-object",
        lambda d: d["tables"]["themes"].append(["housing"]),
        [("$.tables.themes[2]", "expected an object, found a list")],
    ),
    (
        "table-not-a-list",
        lambda d: d["tables"].update(settings={}),
        [("$.tables.settings", "expected a list, found an object")],
    ),
    (
        "missing-table",
        lambda d: d["tables"].pop("disposal_records"),
        [("$.tables", "missing table 'disposal_records' (write [] if it has no rows)")],
    ),
    (
        "unknown-table",
        lambda d: d["tables"].update(minutes=[]),
        [
            (
                "$.tables.minutes",
                "unknown table 'minutes': this version of dhr-desk has no such table",
            )
        ],
    ),
    (
        "bad-exported-at",
        lambda d: d.update(data_as_of="yesterday"),
        [
            (
                "$.data_as_of",
                "'yesterday' is not a UTC date and time written YYYY-MM-DDTHH:MM:SS.ffffffZ"
                " (six decimal places, ending in Z)",
            )
        ],
    ),
    (
        "dangling-foreign-key",
        _set("actions", 0, "lead_agency_id", 99),
        [
            (
                "$.tables.actions[0].lead_agency_id",
                "there is no row in agencies with id 99: it must refer to a row in the file",
            )
        ],
    ),
    (
        "dangling-nullable-foreign-key",
        _set("reviews", 0, "lead_officer_id", 42),
        [
            (
                "$.tables.reviews[0].lead_officer_id",
                "there is no row in users with id 42: it must refer to a row in the file"
                " (or be null)",
            )
        ],
    ),
    (
        "dangling-association",
        _set("recommendation_themes", 1, "theme_id", 7),
        [
            (
                "$.tables.recommendation_themes[1].theme_id",
                "there is no row in themes with id 7: it must refer to a row in the file",
            )
        ],
    ),
    (
        "duplicate-primary-key",
        _set("agencies", 2, "id", 1),
        [
            (
                "$.tables.agencies[2].id",
                "id 1 is already used by $.tables.agencies[0]; each row needs its own primary key",
            )
        ],
    ),
    (
        "duplicate-composite-primary-key",
        _set("recommendation_themes", 1, "theme_id", 1),
        [
            (
                "$.tables.recommendation_themes[1].recommendation_id",
                "(recommendation_id, theme_id) (1, 1) is already used by"
                " $.tables.recommendation_themes[0]; each row needs its own primary key",
            )
        ],
    ),
    (
        "duplicate-unique",
        _set("reviews", 1, "reference", "DHR-2026-001"),
        [
            (
                "$.tables.reviews[1].reference",
                "reference 'DHR-2026-001' is already used by $.tables.reviews[0];"
                " reference must be unique",
            )
        ],
    ),
    (
        "template-not-installed",
        _set("reviews", 0, "template_version", "2099.9"),
        [
            (
                "$.tables.reviews[0].template_version",
                "the stage template dhr 2099.9 is not installed here; install it "
                "(resources/stage_templates) before importing this review",
            )
        ],
    ),
    (
        "stage-not-in-template",
        _set("reviews", 0, "stage_key", "limbo"),
        [("$.tables.reviews[0].stage_key", "the stage template dhr 2016.1 has no stage 'limbo'")],
    ),
    (
        "template-of-the-other-kind",
        lambda d: d["tables"]["reviews"][1].update(template_key="dhr", template_version="2016.1"),
        [("$.tables.reviews[1].template_key", "the stage template dhr 2016.1 is for dhr reviews")],
    ),
    (
        "clock-date-outside-the-calendar",
        _set("dhr_details", 0, "decision_date", "1999-12-31"),
        [
            (
                "$.tables.dhr_details[0].decision_date",
                "1999-12-31 is outside the working calendar (2000-01-01 to 2075-12-31), so no "
                "deadline could be worked out from it; check the year",
            )
        ],
    ),
    (
        "broken-rule",
        _set("reviews", 1, "closed_on", "2025-01-01"),
        [
            (
                "$.tables.reviews[1]",
                "the row breaks the rule ck_reviews_closed_after_opened:"
                " closed_on IS NULL OR closed_on >= opened_on",
            )
        ],
    ),
]


@pytest.mark.parametrize(("spoil", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_kind_of_bad_value_is_reported_with_its_path_and_reason(
    document: dict[str, Any],
    spoil: Callable[[dict[str, Any]], None],
    expected: list[tuple[str, str]],
) -> None:
    spoil(document)
    assert problems_of(document) == expected


def test_every_problem_in_a_file_is_reported_at_once_in_file_order(
    document: dict[str, Any],
) -> None:
    # GIVEN a file with many things wrong, spread over several tables
    document["data_as_of"] = "2026-13-01T00:00:00.000000Z"
    _set("reviews", 0, "opened_on", "2027-02-30")(document)
    _set("reviews", 1, "kind", "xyz")(document)
    _drop("reviews", 1, "title")(document)
    _set("actions", 0, "lead_agency_id", 99)(document)
    _set("agencies", 2, "id", 1)(document)
    _set("pauses", 0, "ended_on", "2026-02-01")(document)  # before started_on
    # WHEN it is validated THEN every problem is listed, envelope first, then table by table
    # in dependency order, row by row, field by field
    assert problems_of(document) == [
        ("$.data_as_of", "'2026-13-01T00:00:00.000000Z' is not a real date and time"),
        (
            "$.tables.agencies[2].id",
            "id 1 is already used by $.tables.agencies[0]; each row needs its own primary key",
        ),
        ("$.tables.reviews[0].opened_on", "'2027-02-30' is not a real date"),
        ("$.tables.reviews[1]", "missing required field 'title'"),
        ("$.tables.reviews[1].kind", "'xyz' is not one of the allowed values: dhr, asb"),
        (
            "$.tables.pauses[0]",
            "the row breaks the rule ck_pauses_ended_after_started:"
            " ended_on IS NULL OR ended_on >= started_on",
        ),
        (
            "$.tables.actions[0].lead_agency_id",
            "there is no row in agencies with id 99: it must refer to a row in the file",
        ),
    ]


def test_no_bad_file_imports_anything(
    embedded_store: Store, valid_document: dict[str, Any]
) -> None:
    # GIVEN an empty store and every kind of bad file above, plus a newer-version file
    newer = copy.deepcopy(valid_document)
    newer["format_version"] = exchange.FORMAT_VERSION + 1
    bad: list[tuple[str, object]] = [("newer-version", newer), ("a-list", [])]
    for name, spoil, _ in CASES:
        spoilt = copy.deepcopy(valid_document)
        spoil(spoilt)
        bad.append((name, spoilt))
    for name, document in bad:
        # WHEN it is imported THEN the import is refused with the problems ...
        with embedded_store.sessions.begin() as session, pytest.raises(ExchangeError) as caught:
            import_store(session, document)
        assert caught.value.problems, name
        assert list(caught.value.problems) == validate(document), name
        # ... AND the store is still completely empty
        assert_empty(embedded_store)


def test_the_error_message_lists_every_problem(document: dict[str, Any]) -> None:
    _set("reviews", 0, "kind", "xyz")(document)
    _set("reviews", 0, "opened_on", "2027-02-30")(document)
    with Session() as session, pytest.raises(ExchangeError) as caught:
        import_store(session, document)  # refused before the session is used
    error = caught.value
    assert isinstance(error, NothingDone)
    assert str(error) == (
        "the file has 2 problems, so nothing was imported:\n"
        "  $.tables.reviews[0].kind: 'xyz' is not one of the allowed values: dhr, asb\n"
        "  $.tables.reviews[0].opened_on: '2027-02-30' is not a real date"
    )


def test_json_paths_quote_keys_that_are_not_plain_names() -> None:
    assert exchange.json_path([]) == "$"
    assert exchange.json_path(["tables", "reviews", 3, "opened_on"]) == (
        "$.tables.reviews[3].opened_on"
    )
    assert exchange.json_path(["tables", "odd name", 0]) == '$.tables["odd name"][0]'

"""Referral and intake, exits, obstacles; and the seam the report counts its base through.

Rules:
- A referral registers a new person as in intake (programme_status "intake") or refers a registered one.
  Admitted sets the candidate active from the start date; refused and waiting list leave them in intake,
  so the retention rule for people never taken in applies (privacy.service.retention_due, counted from
  the latest referral).
- Codes (intake criteria, refusal reasons, exit reasons) come from the newest code list version; a
  referral and an exit keep the version they used.
- An exit's reason must belong to its group (completed or interrupted): otherwise 422 on `reason`.
"""


from sqlmodel import Session, col, select

from accounts.service import Principal
from candidates.models import Candidate
from candidates.schemas import CandidateCreate, ProgrammeStatus
from candidates.service import (
    create_candidate,
    ensure_project_allowed,
    flush_or_conflict,
    get_candidate,
    only_visible,
    visible_project_ids,
)
from core.errors import Conflict, Invalid, NotFound
from core.projects import get_project
from core.types import utcnow
from programme.codes import DEFAULT_LISTS
from programme.models import LocalCriterion, Obstacle, ProgrammeCode, ProgrammeCodeList, ProgrammeExit, Referral
from programme.schemas import (
    CodeListIn,
    CodeListPublic,
    CodePublic,
    Decision,
    DecisionIn,
    ExitIn,
    ExitOutcome,
    LocalCriterionIn,
    ObstacleIn,
    ObstacleResolveIn,
    ReferralIn,
    ReferralPublic,
)

# ---------------------------------------------------------------- code lists (versioned)


def _insert_list(session: Session, codes: list[tuple[str, str, str, bool]], created_by: int | None) -> ProgrammeCodeList:
    latest = session.exec(select(ProgrammeCodeList).order_by(col(ProgrammeCodeList.version).desc())).first()
    row = ProgrammeCodeList(version=(latest.version + 1) if latest else 1, created_by=created_by)
    session.add(row)
    session.flush()
    for position, (kind, key, label, requires_text) in enumerate(codes):
        session.add(ProgrammeCode(list_id=row.id, kind=kind, key=key, label=label, requires_text=requires_text,
                                  position=position))
    session.flush()
    return row


def ensure_default_codes(session: Session) -> ProgrammeCodeList:
    """The shipped code lists as version 1 on an empty database; a published version is never replaced."""
    row = session.exec(select(ProgrammeCodeList).order_by(col(ProgrammeCodeList.version).desc())).first()
    if row is not None:
        return row
    codes = [(kind, key, label, text) for kind, entries in DEFAULT_LISTS.items()
             for key, (label, text) in entries.items()]
    return _insert_list(session, codes, None)


def publish_codes(session: Session, data: CodeListIn, actor: Principal) -> CodeListPublic:
    row = _insert_list(session, [(c.kind, c.key, c.label, c.requires_text) for c in data.codes], actor.user_id)
    return code_list(session, row.version)


def code_list(session: Session, version: int | None = None) -> CodeListPublic:
    if version is None:
        row = ensure_default_codes(session)
    else:
        row = session.exec(select(ProgrammeCodeList).where(ProgrammeCodeList.version == version)).first()
        if row is None:
            raise NotFound(f"Kodeliste versjon {version} finnes ikke.")
    codes = session.exec(select(ProgrammeCode).where(ProgrammeCode.list_id == row.id)
                         .order_by(ProgrammeCode.position, ProgrammeCode.id)).all()
    return CodeListPublic(version=row.version, created_at=row.created_at,
                          codes=[CodePublic(kind=c.kind, key=c.key, label=c.label, requires_text=c.requires_text)
                                 for c in codes])


def code_lists(session: Session) -> list[CodeListPublic]:
    ensure_default_codes(session)
    versions = session.exec(select(ProgrammeCodeList.version).order_by(ProgrammeCodeList.version)).all()
    return [code_list(session, v) for v in versions]


def code_labels(session: Session) -> dict[tuple[str, str], str]:
    """(kind, key) -> label over every version, the newest label winning (for reports of old records)."""
    rows = session.exec(select(ProgrammeCode, ProgrammeCodeList.version)
                        .join(ProgrammeCodeList, ProgrammeCodeList.id == ProgrammeCode.list_id)
                        .order_by(ProgrammeCodeList.version)).all()
    labels = {(kind, key): label for kind, entries in DEFAULT_LISTS.items() for key, (label, _t) in entries.items()}
    for code, _version in rows:
        labels[(code.kind, code.key)] = code.label
    return labels


def _codes_of(codes: CodeListPublic, kind: str) -> dict[str, CodePublic]:
    return {c.key: c for c in codes.codes if c.kind == kind}


# ---------------------------------------------------------------- local intake criteria


def local_criteria(session: Session, project_id: int, actor: Principal) -> list[LocalCriterion]:
    ensure_project_allowed(actor, project_id)
    return list(session.exec(select(LocalCriterion).where(LocalCriterion.project_id == project_id,
                                                          col(LocalCriterion.retired_at).is_(None))
                             .order_by(LocalCriterion.id)))


def add_local_criterion(session: Session, project_id: int, data: LocalCriterionIn, actor: Principal) -> LocalCriterion:
    get_project(session, project_id)  # 404 for a project that does not exist
    ensure_project_allowed(actor, project_id)
    if data.key in DEFAULT_LISTS["criterion"] or session.exec(select(LocalCriterion).where(
            LocalCriterion.project_id == project_id, LocalCriterion.key == data.key)).first():
        raise Conflict(f"Kriteriet «{data.key}» finnes allerede.", field="key")
    row = LocalCriterion(project_id=project_id, key=data.key, label=data.label, created_by=actor.user_id)
    session.add(row)
    session.flush()
    return row


def intake_criteria(session: Session, project_id: int, actor: Principal) -> list[tuple[str, str]]:
    """The checklist a referral to this project is assessed against: national, then local."""
    national = [(c.key, c.label) for c in code_list(session).codes if c.kind == "criterion"]
    return national + [(c.key, c.label) for c in local_criteria(session, project_id, actor)]


# ---------------------------------------------------------------- referral and intake


def refer(session: Session, data: ReferralIn, actor: Principal) -> Referral:
    if data.candidate_id is not None:
        candidate = get_candidate(session, data.candidate_id, actor)
    else:
        for field in ("first_name", "last_name"):
            if not getattr(data, field):
                raise Invalid("må fylles ut for en person som ikke er registrert fra før", field=field)
        project_id = data.project_id if data.project_id is not None else actor.project_id
        if project_id is None:
            raise Invalid("Velg prosjektet personen henvises til.", field="project_id")
        candidate = create_candidate(session, CandidateCreate(
            project_id=project_id, first_name=data.first_name, last_name=data.last_name,
            municipality_code=data.municipality_code, programme_status=ProgrammeStatus.intake), actor)
    checklist = dict(intake_criteria(session, candidate.project_id, actor))
    unknown = [k for k in data.criteria_met if k not in checklist]
    if unknown:
        raise Invalid(f"Ukjent inntakskriterium: {', '.join(unknown)}.", field="criteria_met")
    if data.interview_on is not None and data.interview_on < data.referred_on:
        raise Invalid("Inntakssamtalen kan ikke være før henvisningen.", field="interview_on")
    row = Referral(candidate_id=candidate.id, project_id=candidate.project_id, referrer_kind=data.referrer_kind,
                   referrer_name=data.referrer_name, referred_on=data.referred_on,
                   code_list_version=code_list(session).version,
                   criteria={key: key in data.criteria_met for key in checklist},
                   interview_on=data.interview_on, interview_note=data.interview_note, recorded_by=actor.user_id)
    session.add(row)
    session.flush()
    return row


def get_referral(session: Session, referral_id: int, actor: Principal) -> Referral:
    row = session.get(Referral, referral_id)
    if row is None:
        raise NotFound(f"Henvisning {referral_id} finnes ikke.")
    get_candidate(session, row.candidate_id, actor)  # staff: only their own project's
    return row


def list_referrals(session: Session, actor: Principal, *, decision: str | None = None,
                   candidate_id: int | None = None) -> list[Referral]:
    stmt = select(Referral)
    allowed = visible_project_ids(actor)
    if allowed is not None:
        stmt = stmt.where(col(Referral.project_id).in_(allowed))
    if decision:
        stmt = stmt.where(Referral.decision == decision)
    if candidate_id is not None:
        stmt = stmt.where(Referral.candidate_id == candidate_id)
    return list(session.exec(stmt.order_by(col(Referral.referred_on).desc(), col(Referral.id).desc())))


def decide(session: Session, referral_id: int, data: DecisionIn, actor: Principal) -> Referral:
    """Admitted (with a start date), refused (with a coded reason) or waiting list."""
    row = get_referral(session, referral_id, actor)
    if row.decision in (Decision.admitted, Decision.refused):
        raise Conflict("Henvisningen er allerede avgjort. Registrer en ny henvisning om personen henvises igjen.",
                       field="decision")
    if data.decided_on < row.referred_on:
        raise Invalid("Vedtaket kan ikke være før henvisningen.", field="decided_on")
    if data.interview_on is not None and data.interview_on < row.referred_on:
        raise Invalid("Inntakssamtalen kan ikke være før henvisningen.", field="interview_on")
    if data.decision is Decision.admitted and data.start_on < row.referred_on:
        raise Invalid("Oppstart kan ikke være før henvisningen.", field="start_on")
    codes = code_list(session)
    refusal_text = None
    if data.decision is Decision.refused:
        reasons = _codes_of(codes, "refusal")
        if data.refusal_reason not in reasons:
            raise Invalid(f"Ukjent årsak til avslag «{data.refusal_reason}». Gyldige: {', '.join(reasons)}.",
                          field="refusal_reason")
        if reasons[data.refusal_reason].requires_text and not (data.refusal_text or "").strip():
            raise Invalid("Beskriv årsaken når du velger «Annet».", field="refusal_text")
        refusal_text = data.refusal_text
    candidate = session.get(Candidate, row.candidate_id)
    row.decision, row.decided_on = data.decision.value, data.decided_on
    row.start_on = data.start_on if data.decision is Decision.admitted else None
    row.refusal_reason = data.refusal_reason if data.decision is Decision.refused else None
    row.refusal_text = refusal_text
    row.code_list_version = codes.version
    if data.interview_on is not None:
        row.interview_on = data.interview_on
    if data.interview_note:
        row.interview_note = data.interview_note
    row.updated_at = utcnow()
    if data.decision is Decision.admitted and candidate.programme_status == ProgrammeStatus.intake:
        candidate.programme_status = ProgrammeStatus.active
    flush_or_conflict(session, "Kandidaten ble endret samtidig. Prøv igjen.")
    return row


def to_public(session: Session, row: Referral) -> ReferralPublic:
    candidate = session.get(Candidate, row.candidate_id)
    return ReferralPublic(**row.model_dump(), candidate_name=f"{candidate.first_name} {candidate.last_name}")


# ---------------------------------------------------------------- exits


def record_exit(session: Session, candidate_id: int, data: ExitIn, actor: Principal) -> ProgrammeExit:
    candidate = get_candidate(session, candidate_id, actor)
    codes = code_list(session)
    group = _codes_of(codes, data.outcome.value)
    if data.reason not in group:
        other = "interrupted" if data.outcome is ExitOutcome.completed else "completed"
        if data.reason in _codes_of(codes, other):
            raise Invalid(f"«{data.reason}» er en årsak for {'avbrutt' if other == 'interrupted' else 'fullført'}, "
                          f"ikke for {'fullført' if other == 'interrupted' else 'avbrutt'}: fullført og avbrutt "
                          "holdes fra hverandre.", field="reason")
        raise Invalid(f"Ukjent årsak «{data.reason}». Gyldige: {', '.join(group)}.", field="reason")
    if group[data.reason].requires_text and not (data.reason_text or "").strip():
        raise Invalid("Beskriv årsaken når du velger «Annet».", field="reason_text")
    if session.exec(select(ProgrammeExit.id).where(ProgrammeExit.candidate_id == candidate_id,
                                                   ProgrammeExit.on > data.on)).first():
        raise Invalid("Det finnes en senere avslutning for kandidaten.", field="on")
    row = ProgrammeExit(candidate_id=candidate_id, on=data.on, outcome=data.outcome.value, reason=data.reason,
                        reason_text=data.reason_text if group[data.reason].requires_text else None,
                        code_list_version=codes.version, recorded_by=actor.user_id)
    session.add(row)
    candidate.programme_status = (ProgrammeStatus.completed if data.outcome is ExitOutcome.completed
                                  else ProgrammeStatus.withdrawn)
    candidate.updated_at = utcnow()
    flush_or_conflict(session, "Kandidaten ble endret samtidig. Prøv igjen.")
    return row


def exits(session: Session, candidate_id: int, actor: Principal) -> list[ProgrammeExit]:
    get_candidate(session, candidate_id, actor)
    return list(session.exec(select(ProgrammeExit).where(ProgrammeExit.candidate_id == candidate_id)
                             .order_by(ProgrammeExit.on, ProgrammeExit.id)))


# ---------------------------------------------------------------- obstacles (arenarydding)


def add_obstacle(session: Session, candidate_id: int, data: ObstacleIn, actor: Principal) -> Obstacle:
    get_candidate(session, candidate_id, actor)
    row = Obstacle(candidate_id=candidate_id, recorded_by=actor.user_id, **data.model_dump())
    session.add(row)
    session.flush()
    return row


def obstacles(session: Session, candidate_id: int, actor: Principal) -> list[Obstacle]:
    get_candidate(session, candidate_id, actor)
    return list(session.exec(select(Obstacle).where(Obstacle.candidate_id == candidate_id)
                             .order_by(Obstacle.found_on, Obstacle.id)))


def resolve_obstacle(session: Session, candidate_id: int, obstacle_id: int, data: ObstacleResolveIn,
                     actor: Principal) -> Obstacle:
    get_candidate(session, candidate_id, actor)
    row = session.get(Obstacle, obstacle_id)
    if row is None or row.candidate_id != candidate_id:
        raise NotFound(f"Hinder {obstacle_id} finnes ikke for denne kandidaten.")
    if row.resolved_on is not None:
        raise Conflict("Hinderet er allerede løst.", field="resolved_on")
    if data.resolved_on < row.found_on:
        raise Invalid("Løst-datoen kan ikke være før hinderet ble funnet.", field="resolved_on")
    row.resolved_on = data.resolved_on
    session.flush()
    return row


def open_obstacles(session: Session, actor: Principal, *, project_id: int | None = None) -> list[tuple[Obstacle, Candidate]]:
    """Obstacles not yet resolved of the candidates the actor sees (archived ones left out), oldest first."""
    stmt = only_visible(select(Obstacle, Candidate).join(Candidate, Candidate.id == Obstacle.candidate_id),
                        actor, Candidate.id)
    stmt = stmt.where(col(Obstacle.resolved_on).is_(None), col(Candidate.archived_at).is_(None))
    if project_id is not None:
        stmt = stmt.where(Candidate.project_id == project_id)
    return [(o, c) for o, c in session.exec(stmt.order_by(Obstacle.found_on, Obstacle.id))]


def code_list_diff(current: CodeListPublic, proposed: CodeListIn) -> dict[str, list]:
    """What publishing `proposed` changes, per (kind, key): codes added, taken away, renamed (label)
    and with "free text required" changed. Records keep the version they used either way."""
    before = {(c.kind, c.key): c for c in current.codes}
    after = {(c.kind, c.key): c for c in proposed.codes}
    return {
        "added": [c for k, c in after.items() if k not in before],
        "removed": [c for k, c in before.items() if k not in after],
        "renamed": [(before[k], c) for k, c in after.items() if k in before and before[k].label != c.label],
        "text": [c for k, c in after.items() if k in before and before[k].requires_text != c.requires_text],
    }

"""Candidate rules: who may see whom, create, update, archive, consent."""

from collections.abc import Iterable, Sequence

from sqlalchemy import false
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, delete, select

from accounts.models import Partner, User
from accounts.service import Principal
from candidates.catalogue import CERTIFICATE_KINDS
from candidates.models import (
    Candidate,
    CandidateCertificate,
    CandidateReference,
    ConsentRecord,
    Education,
    Handover,
    JobWish,
    WorkExperience,
)
from candidates.schemas import (
    CandidateCreate,
    CandidatePublic,
    CandidateUpdate,
    CertificatePublic,
    ConsentIn,
    ConsentPublic,
    ConsentPurpose,
    EducationPublic,
    ExperiencePublic,
    ReferencePublic,
    WishIn,
)
from core.db import bulk_insert, prepare_rows
from core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from core.projects import Project, get_project
from core.types import Role, today, utcnow

# Roles that work with candidate data at all. Employers see no candidate data.
CANDIDATE_READERS = (Role.admin, Role.consultant, Role.staff)


def visible_project_ids(actor: Principal) -> list[int] | None:
    """The projects whose candidates the actor may register or move candidates into (None: every
    project). Who may *see* a candidate is `visible_candidate_ids`."""
    if actor.role is Role.staff:
        return [actor.project_id] if actor.project_id is not None else []
    if actor.role in CANDIDATE_READERS:
        return None
    return []


# What the agency works on (the CV): consultants may change these, and nothing else about a candidate.
CV_FIELDS = frozenset({"experience", "education", "wishes", "references"})
CV_ONLY = "Konsulenter kan endre CV-en (erfaring, utdanning, referanser og ønsker), ikke kontaktopplysninger eller samtykker."


OWN_FIELDS = frozenset({"email", "phone", "address", "consents", "version"})


def ensure_may_change(actor: Principal, fields: Iterable[str] = ()) -> None:
    """Staff (own project) and admins change everything; consultants only the CV's fields; the job
    seeker themselves (get_candidate has made sure it is them) their contact details and consents
    (new wishes wait for staff, selfservice)."""
    if actor.role in (Role.admin, Role.staff):
        return
    if actor.role is Role.candidate:
        other = sorted(set(fields) - OWN_FIELDS)
        if not other:
            return
        raise Forbidden("Du kan endre kontaktopplysningene og samtykkene dine her.", field=other[0])
    if actor.role is Role.consultant:
        other = sorted(set(fields) - CV_FIELDS - {"version"})
        if not other and fields:
            return
        raise Forbidden(CV_ONLY, field=other[0] if other else None)
    raise Forbidden("Du kan ikke endre kandidater.")


def ensure_project_allowed(actor: Principal, project_id: int) -> None:
    allowed = visible_project_ids(actor)
    if allowed is not None and project_id not in allowed:
        raise Forbidden("Du har bare tilgang til kandidater i ditt eget prosjekt.", field="project_id")


# ---------------------------------------------------------------- who may see which candidate
# The one candidate-visibility rule. Every list, single read, export, search, match run and page
# goes through `visible_candidate_ids` / `only_visible` / `visible_ids` / `get_candidate`:
# - admin: every candidate;
# - staff: their own project's candidates;
# - consultants: the candidates handed over to their recruitment partner organisation, and only
#   while that handover stands (an ended handover, or none, hides the candidate);
# - employers (and anyone else): no candidate.


def visible_candidate_ids(actor: Principal):
    """A subquery of the candidate ids the actor may see, or None for every candidate."""
    if actor.role is Role.admin:
        return None
    if actor.role is Role.staff and actor.project_id is not None:
        return select(Candidate.id).where(Candidate.project_id == actor.project_id)
    if actor.role is Role.consultant and actor.partner_id is not None:
        return handed_over_to(actor.partner_id)
    if actor.role is Role.candidate and actor.candidate_id is not None:  # a job seeker: themselves only
        return select(Candidate.id).where(Candidate.id == actor.candidate_id)
    return select(Candidate.id).where(false())


def handed_over_to(partner_id: int):
    """A subquery of the candidates whose handover to the partner stands now."""
    return select(Handover.candidate_id).where(Handover.partner_id == partner_id, col(Handover.ended_on).is_(None))


def only_visible(stmt, actor: Principal, candidate_id_column):
    """`stmt` limited to rows whose `candidate_id_column` is a candidate the actor may see."""
    allowed = visible_candidate_ids(actor)
    return stmt if allowed is None else stmt.where(col(candidate_id_column).in_(allowed))


def visible_ids(session: Session, actor: Principal, candidate_ids: Iterable[int]) -> set[int]:
    """Those of `candidate_ids` the actor may see."""
    ids = sorted(set(candidate_ids))
    allowed = visible_candidate_ids(actor)
    if allowed is None or not ids:
        return set(ids)
    seen: set[int] = set()
    for start in range(0, len(ids), 1000):
        seen |= set(session.exec(select(Candidate.id).where(col(Candidate.id).in_(ids[start:start + 1000]),
                                                            col(Candidate.id).in_(allowed))))
    return seen


def ensure_visible(session: Session, actor: Principal, candidate: Candidate) -> None:
    """403 naming the rule when the actor may not see this candidate."""
    if actor.role is Role.admin:
        return
    if actor.role is Role.staff:
        ensure_project_allowed(actor, candidate.project_id)
        return
    if actor.role is Role.consultant:
        if candidate.id not in visible_ids(session, actor, [candidate.id]):
            raise Forbidden("Kandidaten er ikke tildelt rekrutteringspartneren din. Konsulenter ser bare kandidater "
                            "som er tildelt deres partner, og bare mens tildelingen står.", field="candidate_id")
        return
    raise Forbidden("Du har ikke tilgang til kandidatdata.", field="candidate_id")


def get_candidate(session: Session, candidate_id: int, actor: Principal) -> Candidate:
    candidate = session.get(Candidate, candidate_id)
    if candidate is None or (actor.role is Role.candidate and actor.candidate_id != candidate_id):
        raise NotFound(f"Kandidat {candidate_id} finnes ikke.")  # a job seeker sees only themselves
    if actor.role is not Role.candidate:
        ensure_visible(session, actor, candidate)
    return candidate


def _check_contact_person(session: Session, user_id: int | None, project_id: int) -> None:
    if user_id is None:
        return
    user = session.get(User, user_id)
    if user is None or user.role not in (Role.staff, Role.consultant, Role.admin):
        raise Invalid(f"Kontaktperson {user_id} er ingen veileder eller konsulent.", field="contact_person_id")
    if user.role == Role.staff and user.project_id != project_id:
        raise Invalid("Kontaktpersonen jobber i et annet prosjekt.", field="contact_person_id")


def _replace_children(session: Session, candidate_id: int, model: type, rows: Iterable) -> None:
    session.exec(delete(model).where(col(model.candidate_id) == candidate_id))
    for row in rows:
        session.add(model(candidate_id=candidate_id, **row.model_dump()))


def _unique_wishes(wishes: Sequence[WishIn]) -> list[WishIn]:
    seen: dict[tuple[str, str], WishIn] = {}
    for wish in wishes:
        seen.setdefault((wish.kind.value, wish.value.lower()), wish)
    return list(seen.values())


def _write_lists(session: Session, candidate_id: int, data: CandidateCreate | CandidateUpdate) -> None:
    if data.certificates is not None:
        _replace_children(session, candidate_id, CandidateCertificate, data.certificates)
    if data.experience is not None:
        _replace_children(session, candidate_id, WorkExperience, data.experience)
    if data.education is not None:
        _replace_children(session, candidate_id, Education, data.education)
    if data.wishes is not None:
        _replace_children(session, candidate_id, JobWish, _unique_wishes(data.wishes))
    if data.references is not None:
        _replace_children(session, candidate_id, CandidateReference, data.references)


_SCALARS = (
    "first_name last_name email phone address municipality_code contact_person_id norwegian_level "
    "languages wanted_fte available_from available_to working_hours max_commute_km programme_status "
    "exit_assessment project_id"
).split()


def _child_rows(data: CandidateCreate, actor: Principal) -> list[tuple[type, dict]]:
    """The candidate's list rows (without candidate_id), as create_candidate and imports store them."""
    rows: list[tuple[type, dict]] = []
    for model, items in ((CandidateCertificate, data.certificates), (WorkExperience, data.experience),
                         (Education, data.education), (JobWish, _unique_wishes(data.wishes or [])),
                         (CandidateReference, data.references)):
        rows += [(model, item.model_dump()) for item in items or []]
    rows += [(ConsentRecord, {"recorded_by": actor.user_id, **c.model_dump()}) for c in data.consents]
    return rows


def _candidate_values(data: CandidateCreate, project_municipality: str) -> dict:
    values = data.model_dump(include=set(_SCALARS))
    values["municipality_code"] = data.municipality_code or project_municipality
    return {k: v for k, v in values.items() if v is not None} | {
        "norskprove": data.norskprove.model_dump(mode="json") if data.norskprove else None}


def _check_new_candidate(session: Session, data: CandidateCreate, actor: Principal):
    project = get_project(session, data.project_id)
    ensure_project_allowed(actor, project.id)
    _check_contact_person(session, data.contact_person_id, project.id)
    return project


def create_candidate(session: Session, data: CandidateCreate, actor: Principal) -> Candidate:
    ensure_may_change(actor, data.model_fields_set | {"consents"})
    project = _check_new_candidate(session, data, actor)
    candidate = Candidate(**_candidate_values(data, project.municipality_code))
    session.add(candidate)
    session.flush()
    for model, values in _child_rows(data, actor):
        session.add(model(candidate_id=candidate.id, **values))
    session.flush()
    return candidate


def create_candidates(session: Session, items: Sequence[CandidateCreate], actor: Principal,
                      ) -> tuple[list[int], dict[int, DomainError]]:
    """Many candidates at once (imports): the same checks as create_candidate for each, then a few
    bulk statements instead of a round trip per row, so the write lock is held briefly. Returns the
    new ids, or the error of each item that breaks a rule (then nothing is written)."""
    ensure_may_change(actor, {"project_id", "consents"})  # registering is for staff and admins
    # Rows are built before the first query (which starts the transaction and, on SQLite, the lock).
    now = utcnow()
    values = [{"created_at": now, "updated_at": now, "version": 1, **_candidate_values(d, "")} for d in items]
    rows = prepare_rows(session, Candidate, values)
    by_model: dict[type, tuple[list[int], list[dict]]] = {}
    for index, data in enumerate(items):
        for model, child in _child_rows(data, actor):
            owners, children_of_model = by_model.setdefault(model, ([], []))
            owners.append(index)
            children_of_model.append(child)
    children = {model: (owners, prepare_rows(session, model, rows)) for model, (owners, rows) in by_model.items()}

    project_ids = {d.project_id for d in items}
    user_ids = {d.contact_person_id for d in items if d.contact_person_id is not None}
    # Loaded once into the session's identity map: the per-item checks below then run no queries.
    session.exec(select(Project).where(col(Project.id).in_(project_ids))).all()
    if user_ids:
        session.exec(select(User).where(col(User.id).in_(user_ids))).all()
    errors: dict[int, DomainError] = {}
    outcomes: dict[tuple, object] = {}  # the checks depend only on these two values
    for index, data in enumerate(items):
        key = (data.project_id, data.contact_person_id)
        if key not in outcomes:
            try:
                outcomes[key] = _check_new_candidate(session, data, actor)
            except DomainError as exc:
                outcomes[key] = exc
        outcome = outcomes[key]
        if isinstance(outcome, DomainError):
            errors[index] = outcome
        elif not values[index]["municipality_code"]:
            values[index]["municipality_code"] = outcome.municipality_code
    if errors:
        return [], errors
    rows.set_column("municipality_code", [v["municipality_code"] for v in values])
    ids = bulk_insert(session, rows, return_ids=True)
    for owners, rows in children.values():
        rows.set_column("candidate_id", [ids[owner] for owner in owners])
        bulk_insert(session, rows)
    return ids, {}


def update_candidate(session: Session, candidate_id: int, data: CandidateUpdate, actor: Principal) -> Candidate:
    candidate = get_candidate(session, candidate_id, actor)
    ensure_may_change(actor, data.model_fields_set)
    if data.version is not None and data.version != candidate.version:
        raise Conflict(
            f"Kandidaten er endret av noen andre (versjon {candidate.version}, du sendte {data.version}). "
            "Last inn på nytt og prøv igjen.",
            field="version",
        )
    changes = data.model_dump(include=set(_SCALARS), exclude_unset=True)
    if "project_id" in changes:
        if changes["project_id"] is None:
            raise Invalid("En kandidat må høre til et prosjekt.", field="project_id")
        ensure_project_allowed(actor, get_project(session, changes["project_id"]).id)
    project_id = changes.get("project_id", candidate.project_id)
    if "contact_person_id" in changes or "project_id" in changes:
        _check_contact_person(session, changes.get("contact_person_id", candidate.contact_person_id), project_id)
    for field in ("first_name", "last_name", "municipality_code", "wanted_fte", "programme_status"):
        if field in changes and changes[field] is None:
            raise Invalid("Feltet kan ikke tømmes.", field=field)
    if "available_from" in changes or "available_to" in changes:
        start = changes.get("available_from", candidate.available_from)
        end = changes.get("available_to", candidate.available_to)
        if start and end and end < start:
            raise Invalid("Tilgjengelig til kan ikke være før tilgjengelig fra.", field="available_to")
    for field, value in changes.items():
        setattr(candidate, field, value)
    if "norskprove" in data.model_fields_set:
        candidate.norskprove = data.norskprove.model_dump(mode="json") if data.norskprove else None
    candidate.updated_at = utcnow()
    _write_lists(session, candidate.id, data)
    flush_or_conflict(session, "Kandidaten ble endret samtidig av noen andre. Last inn på nytt og prøv igjen.")
    return candidate


def flush_or_conflict(session: Session, message: str) -> None:
    """Flush, turning the optimistic-lock failure of a concurrent writer into a 409."""
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise Conflict(message) from None


def archive_candidate(session: Session, candidate_id: int, actor: Principal) -> Candidate:
    candidate = get_candidate(session, candidate_id, actor)
    ensure_may_change(actor, {"archived_at"})
    if candidate.archived_at is None:
        candidate.archived_at = utcnow()
        candidate.updated_at = candidate.archived_at
        flush_or_conflict(session, "Kandidaten ble endret samtidig. Prøv igjen.")
    return candidate


def restore_candidate(session: Session, candidate_id: int, actor: Principal) -> Candidate:
    candidate = get_candidate(session, candidate_id, actor)
    ensure_may_change(actor, {"archived_at"})
    if candidate.archived_at is not None:
        candidate.archived_at = None
        candidate.updated_at = utcnow()
        flush_or_conflict(session, "Kandidaten ble endret samtidig. Prøv igjen.")
    return candidate


def add_consent(session: Session, candidate_id: int, consent: ConsentIn, actor: Principal) -> ConsentRecord:
    get_candidate(session, candidate_id, actor)
    ensure_may_change(actor, {"consents"})
    if consent.partner_id is not None and session.get(Partner, consent.partner_id) is None:
        raise NotFound(f"Rekrutteringspartner {consent.partner_id} finnes ikke.", field="partner_id")
    record = ConsentRecord(candidate_id=candidate_id, recorded_by=actor.user_id, **consent.model_dump())
    session.add(record)
    session.flush()
    return record


def withdraw_consent(session: Session, candidate_id: int, consent_id: int, actor: Principal) -> ConsentRecord:
    get_candidate(session, candidate_id, actor)
    ensure_may_change(actor, {"consents"})
    record = session.get(ConsentRecord, consent_id)
    if record is None or record.candidate_id != candidate_id:
        raise NotFound(f"Samtykke {consent_id} finnes ikke for kandidat {candidate_id}.")
    if record.withdrawn_on is None:
        record.withdrawn_on = today()
        session.flush()
        # Withdrawing the consent to share with a partner ends the handover to it at once.
        standing = standing_handover(session, candidate_id)
        if standing is not None and not shares_with_partner(session, candidate_id, standing.partner_id):
            end_standing_handover(session, standing, actor, reason="consent_withdrawn")
    session.flush()
    return record


# ---------------------------------------------------------------- handover rules used by consent


def shares_with_partner(session: Session, candidate_id: int, partner_id: int) -> bool:
    """The candidate's consent to share with this recruitment partner is recorded and stands."""
    return session.exec(select(ConsentRecord.id).where(
        ConsentRecord.candidate_id == candidate_id, ConsentRecord.purpose == ConsentPurpose.share_with_recruiter,
        ConsentRecord.partner_id == partner_id, col(ConsentRecord.withdrawn_on).is_(None),
        ConsentRecord.given_on <= today())).first() is not None


def standing_handover(session: Session, candidate_id: int) -> Handover | None:
    return session.exec(select(Handover).where(Handover.candidate_id == candidate_id,
                                               col(Handover.ended_on).is_(None))).first()


def end_standing_handover(session: Session, handover: Handover, actor: Principal, *, reason: str,
                          note: str | None = None, on=None) -> Handover:
    handover.ended_on = on or today()
    handover.ended_by = actor.user_id
    handover.end_reason = reason
    handover.end_note = note
    session.add(handover)
    session.flush()
    return handover


def _rows(session: Session, model: type, candidate_id: int) -> list:
    return list(session.exec(select(model).where(col(model.candidate_id) == candidate_id).order_by(col(model.id))))


def to_public(session: Session, candidate: Candidate) -> CandidatePublic:
    certificates = [
        CertificatePublic(
            id=c.id,
            code=c.code,
            name=c.name,
            issued_on=c.issued_on,
            expires_on=c.expires_on,
            document_ref=c.document_ref,
            label=CERTIFICATE_KINDS[c.code].label,
        )
        for c in _rows(session, CandidateCertificate, candidate.id)
    ]
    return CandidatePublic(
        **candidate.model_dump(),
        certificates=certificates,
        experience=[ExperiencePublic(**r.model_dump()) for r in _rows(session, WorkExperience, candidate.id)],
        education=[EducationPublic(**r.model_dump()) for r in _rows(session, Education, candidate.id)],
        wishes=[WishIn(kind=r.kind, value=r.value) for r in _rows(session, JobWish, candidate.id)],
        references=[ReferencePublic(**r.model_dump()) for r in _rows(session, CandidateReference, candidate.id)],
        consents=[ConsentPublic(**r.model_dump()) for r in _rows(session, ConsentRecord, candidate.id)],
    )


def query_candidates(
    session: Session,
    actor: Principal,
    *,
    project_id: int | None = None,
    wish: str | None = None,
    programme_status: str | None = None,
    include_archived: bool = False,
    search: str | None = None,
) -> list[Candidate]:
    """Candidates visible to the actor, filtered on stored fields (readiness filters are in readiness)."""
    stmt = only_visible(select(Candidate), actor, Candidate.id)
    if project_id is not None:
        stmt = stmt.where(Candidate.project_id == project_id)
    if not include_archived:
        stmt = stmt.where(col(Candidate.archived_at).is_(None))
    if programme_status:
        stmt = stmt.where(Candidate.programme_status == programme_status)
    if wish:
        wished = select(JobWish.candidate_id).where(col(JobWish.value).ilike(f"%{wish}%"))
        stmt = stmt.where(col(Candidate.id).in_(wished))
    if search:
        pattern = f"%{search}%"
        stmt = stmt.where(col(Candidate.first_name).ilike(pattern) | col(Candidate.last_name).ilike(pattern))
    return list(session.exec(stmt.order_by(Candidate.last_name, Candidate.first_name, Candidate.id)))


def search_by_name(session: Session, actor: Principal, text: str, limit: int = 10) -> list[Candidate]:
    """Candidates whose first or last name starts with every word typed (for search-as-you-type),
    among those the actor may see, not archived."""
    words = [w for w in (text or "").split() if w][:4]
    if not words:
        return []
    stmt = only_visible(select(Candidate).where(col(Candidate.archived_at).is_(None)), actor, Candidate.id)
    for word in words:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        stmt = stmt.where(col(Candidate.first_name).ilike(pattern) | col(Candidate.last_name).ilike(pattern))
    return list(session.exec(stmt.order_by(Candidate.last_name, Candidate.first_name, Candidate.id).limit(limit)))

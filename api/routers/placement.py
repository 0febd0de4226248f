"""The placement pipeline: each vacancy's candidate list, work practice, candidate events, follow-up."""

from datetime import date

from fastapi import APIRouter, Depends
from sqlmodel import Session

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, allow, audit_read, get_session
from core import audit
from core.types import Role
from placement import held_jobs, presentations, service
from placement.schemas import (
    CandidateEventIn,
    CandidateEventPublic,
    CandidateJobIn,
    CandidateJobsPublic,
    FollowUpIn,
    FollowUpPublic,
    HeldJobPublic,
    PartnerActivity,
    PlacementIn,
    PlacementPublic,
    PresentationAnswerIn,
    PresentationIn,
    PresentationPublic,
    Stage,
    TransitionIn,
    WorkPracticeIn,
    WorkPracticePublic,
)

router = APIRouter(tags=["formidling"])
CONSULTANTS = allow(Role.admin, Role.consultant)
READERS = allow(*CANDIDATE_ROLES)


@router.post("/placements", response_model=PlacementPublic, status_code=201,
             summary="Sett en kandidat på stillingens kandidatliste (foreslått)")
def post_placement(body: PlacementIn, actor: Principal = Depends(CONSULTANTS), session: Session = Depends(get_session)):
    placement = service.open_placement(session, body.candidate_id, body.vacancy_id, actor, on=body.on)
    audit.record(session, actor, "update", f"formidling til stilling {body.vacancy_id}", [body.candidate_id])
    session.commit()
    return service.to_public(session, placement)


@router.get("/placements", response_model=list[PlacementPublic], summary="Formidlinger, med filtre")
def get_placements(candidate_id: int | None = None, vacancy_id: int | None = None, stage: Stage | None = None,
                   actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    rows = service.list_placements(session, actor, candidate_id=candidate_id, vacancy_id=vacancy_id, stage=stage)
    audit_read(session, actor, "formidlinger", [p.candidate_id for p in rows], action="list")
    return [service.to_public(session, p) for p in rows]


@router.get("/placements/{placement_id}", response_model=PlacementPublic, summary="Én formidling med historikk")
def get_placement(placement_id: int, actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    placement = service.get_placement(session, placement_id, actor)
    audit_read(session, actor, f"formidling {placement_id}", [placement.candidate_id])
    return service.to_public(session, placement)


@router.post("/placements/{placement_id}/transitions", response_model=PlacementPublic,
             summary="Neste steg: presentert, intervju, tilbud, start, fast ansettelse, avsluttet ...")
def post_transition(placement_id: int, body: TransitionIn, actor: Principal = Depends(CONSULTANTS),
                    session: Session = Depends(get_session)):
    placement = service.transition(session, placement_id, body, actor)
    audit.record(session, actor, "update", f"formidling {placement_id}: {body.to}", [placement.candidate_id])
    session.commit()
    return service.to_public(session, placement)


@router.get("/candidates/{candidate_id}/work-practice", response_model=list[WorkPracticePublic],
            summary="Arbeidspraksis og lønnstilskudd")
def get_work_practice(candidate_id: int, actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    rows = service.work_practice(session, candidate_id, actor)
    audit_read(session, actor, "arbeidspraksis", [candidate_id])
    return rows


@router.post("/candidates/{candidate_id}/work-practice", response_model=WorkPracticePublic, status_code=201,
             summary="Registrer praksisplass eller periode med lønnstilskudd")
def post_work_practice(candidate_id: int, body: WorkPracticeIn, actor: Principal = Depends(READERS),
                       session: Session = Depends(get_session)):
    row = service.add_work_practice(session, candidate_id, body, actor)
    audit.record(session, actor, "update", f"arbeidspraksis: {body.kind}", [candidate_id])
    session.commit()
    return row


@router.get("/candidates/{candidate_id}/jobs", response_model=CandidateJobsPublic,
            summary="Jobber kandidaten har: fra formidlingen og registrerte, og om året er fylt")
def get_candidate_jobs(candidate_id: int, actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    result = held_jobs.candidate_jobs(session, candidate_id, actor)
    audit_read(session, actor, "jobber kandidaten har", [candidate_id])
    return result


@router.post("/candidates/{candidate_id}/jobs", response_model=HeldJobPublic, status_code=201,
             summary="Registrer en jobb kandidaten har funnet selv eller hatt før")
def post_candidate_job(candidate_id: int, body: CandidateJobIn, actor: Principal = Depends(READERS),
                       session: Session = Depends(get_session)):
    row = held_jobs.record_job(session, candidate_id, body, actor)
    audit.record(session, actor, "update", f"registrert jobb {row.id}", [candidate_id])
    session.commit()
    return held_jobs.to_public(row)


@router.put("/candidates/{candidate_id}/jobs/{job_id}", response_model=HeldJobPublic,
            summary="Endre en registrert jobb (for eksempel sluttdato)")
def put_candidate_job(candidate_id: int, job_id: int, body: CandidateJobIn, actor: Principal = Depends(READERS),
                      session: Session = Depends(get_session)):
    row = held_jobs.replace_job(session, candidate_id, job_id, body, actor)
    audit.record(session, actor, "update", f"registrert jobb {job_id}", [candidate_id])
    session.commit()
    return held_jobs.to_public(row)


@router.delete("/candidates/{candidate_id}/jobs/{job_id}", status_code=204, summary="Slett en registrert jobb")
def delete_candidate_job(candidate_id: int, job_id: int, actor: Principal = Depends(READERS),
                         session: Session = Depends(get_session)) -> None:
    held_jobs.delete_job(session, candidate_id, job_id, actor)
    audit.record(session, actor, "update", f"slettet registrert jobb {job_id}", [candidate_id])
    session.commit()


@router.get("/candidates/{candidate_id}/events", response_model=list[CandidateEventPublic],
            summary="Hendelser: første samtale, intervjutrening, behov avdekket, tatt ut, tatt inn igjen")
def get_candidate_events(candidate_id: int, actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    rows = service.candidate_events(session, candidate_id, actor)
    audit_read(session, actor, "hendelser", [candidate_id])
    return rows


@router.post("/candidates/{candidate_id}/events", response_model=CandidateEventPublic, status_code=201,
             summary="Registrer en hendelse for kandidaten")
def post_candidate_event(candidate_id: int, body: CandidateEventIn, actor: Principal = Depends(READERS),
                         session: Session = Depends(get_session)):
    row = service.add_candidate_event(session, candidate_id, body, actor)
    audit.record(session, actor, "update", f"hendelse: {body.kind}", [candidate_id])
    session.commit()
    return row


@router.get("/placement-follow-ups", response_model=list[FollowUpPublic],
            summary="Oppfølging 3, 6 og 12 måneder etter start; forfalte først")
def get_follow_ups(due_by: date | None = None, include_done: bool = False, actor: Principal = Depends(READERS),
                   session: Session = Depends(get_session)):
    rows = service.follow_ups(session, actor, due_by=due_by, open_only=not include_done)
    audit_read(session, actor, "oppfølging etter start", [f.candidate_id for f in rows], action="list")
    return rows


@router.post("/placement-follow-ups/{follow_up_id}", response_model=FollowUpPublic,
             summary="Registrer oppfølging: fortsatt i jobb, stillingsandel, lønnstilskudd")
def post_follow_up(follow_up_id: int, body: FollowUpIn, actor: Principal = Depends(READERS),
                   session: Session = Depends(get_session)):
    row = service.record_follow_up(session, follow_up_id, body, actor)
    audit.record(session, actor, "update", f"oppfølging {row.months} mnd", [row.candidate_id])
    session.commit()
    return row


@router.post("/presentations", response_model=PresentationPublic, status_code=201,
             summary="Presenter en kandidat for en arbeidsgiver (bare feltene du velger)")
def post_presentation(body: PresentationIn, actor: Principal = Depends(CONSULTANTS),
                      session: Session = Depends(get_session)):
    row = presentations.present(session, body, actor)
    audit.record(session, actor, "update", f"presentert for arbeidsgiver {row.employer_id}: {', '.join(row.fields)}",
                 [row.candidate_id])
    session.commit()
    return row


@router.get("/candidates/{candidate_id}/presentations", response_model=list[PresentationPublic],
            summary="Hvem kandidaten er presentert for, og hva de fikk se")
def get_presentations(candidate_id: int, actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    rows = presentations.for_candidate(session, candidate_id, actor)
    audit_read(session, actor, "presentasjoner", [candidate_id])
    return rows


@router.post("/presentations/{presentation_id}/withdraw", response_model=PresentationPublic,
             summary="Trekk tilbake en presentasjon")
def post_withdraw_presentation(presentation_id: int, actor: Principal = Depends(CONSULTANTS),
                               session: Session = Depends(get_session)):
    row = presentations.withdraw(session, presentation_id, actor)
    audit.record(session, actor, "update", f"presentasjon {presentation_id} trukket", [row.candidate_id])
    session.commit()
    return row


@router.post("/presentations/{presentation_id}/answer", response_model=PresentationPublic,
             summary="Registrer arbeidsgiverens svar: interessert, vil ha intervju (med tidspunkter) eller ikke nå")
def post_presentation_answer(presentation_id: int, body: PresentationAnswerIn, actor: Principal = Depends(CONSULTANTS),
                             session: Session = Depends(get_session)):
    row = presentations.record_answer(session, presentation_id, body, actor)
    audit.record(session, actor, "update", f"svar på presentasjon {presentation_id}: {body.answer}", [row.candidate_id])
    session.commit()
    return row


@router.get("/candidates/{candidate_id}/partner-activity", response_model=PartnerActivity,
            summary="Hva rekrutteringspartneren gjør med kandidaten: stillinger, steg, intervjuer og tilbud")
def get_partner_activity(candidate_id: int, actor: Principal = Depends(READERS),
                         session: Session = Depends(get_session)) -> PartnerActivity:
    activity = service.partner_activity(session, candidate_id, actor)
    audit_read(session, actor, "partnerens arbeid (formidlinger)", [candidate_id])
    return activity

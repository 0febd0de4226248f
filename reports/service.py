"""The result report from what the system recorded.

`recorded_events` turns the records into the same event stream an event file holds, and the report
counts it with `reports.kpi.result_table`, so a report from recorded data and one from an exported
event file always agree. How records become events (README "Resultatrapporten: tellereglene"):
- candidate_assigned, taken_back_in, removed_from_process, process_ended: `reports.process.process_marks`
  (today: registration day, the candidate events of those kinds, archiving; the handover seam);
- need_uncovered: an obstacle recorded (programme.Obstacle, on the day found), and the old candidate
  events of that kind (kept, so history recorded before obstacles still counts);
- interview_training: candidate events of that kind;
- documented_progress: a checklist item recorded as done;
- employer_contacted_new / _existing: a logged contact, for the project of each candidate it concerned,
  or for every project in the report when it concerned no candidate (new when it was the employer's first
  logged contact), ref = employer id; employer_first_contact: the day of each employer's first logged
  contact, for every project in the report (what "new in the period" is decided from);
- employer_in_dialogue: the employer moved to in_dialogue, for every project whose candidates it
  had been contacted about by then;
- interview: a placement moved to interview_scheduled; interview_with_assistance: an interview held
  with the consultant present; chance_lost, offer_received, offer_accepted: those stages;
- permanent_job: a placement moved to permanent (a permanent contract without wage subsidy);
- practice_training / practice_with_hiring_promise: work practice of that kind, on its start date;
- referred (referral date), admitted and refused (decision date, ref = reason code): referrals;
- exit_completed / exit_interrupted (ref = reason code): exits.
- a contact with a candidate alone (no employer) contacts no employer: it counts in the contact time,
  not in these rows.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

import pandas as pd
from sqlmodel import Session, col, select

from accounts.service import Principal
from candidates.models import Candidate
from candidates.service import query_candidates
from core.projects import Project
from core.types import LOCAL_TZ, today
from employers.models import ContactLogCandidate, ContactLogEntry, EmployerStatusChange
from placement.models import CandidateEvent, EmploymentFollowUp, Placement, PlacementEvent, WorkPractice
from placement.service import first_offer_after
from programme.models import Obstacle, ProgrammeExit, Referral
from programme.service import code_labels
from readiness.models import ItemStatusEvent
from readiness.scoring import ItemState, ItemStatusValue
from readiness.service import definition_in_force, definitions_by_time
from reports.incentive import IncentiveRow, incentives
from reports.kpi import COLUMNS, SMALL_CELL, KpiRow, result_table
from reports.process import process_marks

STAGE_EVENTS = {"interview_scheduled": "interview", "chance_lost": "chance_lost", "offer": "offer_received",
                "accepted": "offer_accepted"}


def _local_day(moment) -> date:
    return moment.astimezone(LOCAL_TZ).date()


def recorded_events(session: Session, actor: Principal, project_id: int | None = None) -> pd.DataFrame:
    candidates = query_candidates(session, actor, project_id=project_id, include_archived=True)
    projects = dict(session.exec(select(Project.id, Project.name)).all())
    project_of = {c.id: projects[c.project_id] for c in candidates}
    ids = list(project_of)
    rows: list[tuple] = [(day, project_of[cid], str(cid), event, "")
                         for cid, day, event in process_marks(session, candidates)]

    def add(day: date, candidate_id: int, event: str, ref: str = "") -> None:
        rows.append((day, project_of[candidate_id], str(candidate_id), event, ref))

    for chunk in _chunks(ids):
        for e in session.exec(select(CandidateEvent).where(col(CandidateEvent.candidate_id).in_(chunk))):
            if e.kind in ("need_uncovered", "interview_training"):
                add(e.on, e.candidate_id, e.kind)
        for o in session.exec(select(Obstacle).where(col(Obstacle.candidate_id).in_(chunk))):
            add(o.found_on, o.candidate_id, "need_uncovered")
        for r in session.exec(select(Referral).where(col(Referral.candidate_id).in_(chunk))):
            add(r.referred_on, r.candidate_id, "referred")
            if r.decision == "admitted":
                add(r.decided_on, r.candidate_id, "admitted")
            elif r.decision == "refused":
                add(r.decided_on, r.candidate_id, "refused", r.refusal_reason)
        for x in session.exec(select(ProgrammeExit).where(col(ProgrammeExit.candidate_id).in_(chunk))):
            add(x.on, x.candidate_id, f"exit_{x.outcome}", x.reason)
        for e in session.exec(select(ItemStatusEvent).where(col(ItemStatusEvent.candidate_id).in_(chunk),
                                                           ItemStatusEvent.status == ItemStatusValue.done)):
            add(_local_day(e.changed_at), e.candidate_id, "documented_progress")
        for w in session.exec(select(WorkPractice).where(col(WorkPractice.candidate_id).in_(chunk))):
            if w.kind in ("practice_training", "practice_with_hiring_promise"):
                add(w.start, w.candidate_id, w.kind)
        stmt = (select(Placement.candidate_id, PlacementEvent)
                .join(Placement, Placement.id == PlacementEvent.placement_id)
                .where(col(Placement.candidate_id).in_(chunk)))
        for candidate_id, e in session.exec(stmt):
            if e.to_stage in STAGE_EVENTS:
                add(e.on, candidate_id, STAGE_EVENTS[e.to_stage])
            if e.to_stage == "permanent":
                add(e.on, candidate_id, "permanent_job")
            if e.to_stage == "interview_held" and e.with_consultant:
                add(e.on, candidate_id, "interview_with_assistance")
    rows += _employer_events(session, project_of)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _chunks(ids: list[int], size: int = 1000):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _employer_events(session: Session, project_of: dict[int, str]) -> list[tuple]:
    projects_in_report = sorted(set(project_of.values()))
    first_contact: dict[int, ContactLogEntry] = {}
    with_employer = select(ContactLogEntry).where(col(ContactLogEntry.employer_id).is_not(None))
    for entry in session.exec(with_employer.order_by(ContactLogEntry.occurred_at, ContactLogEntry.id)):
        first_contact.setdefault(entry.employer_id, entry)
    about = defaultdict(list)
    for contact_id, candidate_id in session.exec(select(ContactLogCandidate.contact_id, ContactLogCandidate.candidate_id)):
        about[contact_id].append(candidate_id)
    rows, projects_by_employer = [], defaultdict(list)
    for employer_id, entry in first_contact.items():
        rows += [(_local_day(entry.occurred_at), p, "", "employer_first_contact", str(employer_id))
                 for p in projects_in_report]
    for entry in session.exec(with_employer.order_by(ContactLogEntry.id)):
        day = _local_day(entry.occurred_at)
        kind = "employer_contacted_new" if first_contact[entry.employer_id].id == entry.id else "employer_contacted_existing"
        if not about[entry.id]:  # about no candidate: the employer work serves every project
            rows += [(day, p, "", kind, str(entry.employer_id)) for p in projects_in_report]
            continue
        for candidate_id in about[entry.id]:
            if candidate_id not in project_of:
                continue
            rows.append((day, project_of[candidate_id], str(candidate_id), kind, str(entry.employer_id)))
            projects_by_employer[entry.employer_id].append((day, project_of[candidate_id]))
    for change in session.exec(select(EmployerStatusChange).where(EmployerStatusChange.status == "in_dialogue")):
        day = _local_day(change.changed_at)
        for project in sorted({p for d, p in projects_by_employer[change.employer_id] if d <= day}):
            rows.append((day, project, "", "employer_in_dialogue", str(change.employer_id)))
    return rows


# ---------------------------------------------------------------- beyond the table


@dataclass
class ProjectOutcomes:
    project: str
    candidates: int
    in_paid_work_last_12_months: int | None
    mean_year_coverage: float | None  # percent of wanted share-of-year, over candidates taken in
    still_employed: dict[str, str]  # "3", "6", "12" months -> "x av y"
    median_days_formidlingsklar_to_offer: float | None


def year_coverage(placements: list[Placement], wanted_fte: int, window_end: date) -> float:
    """Share-of-full-time-days in paid work over the 365 days up to window_end, against the wanted
    share of the year, in percent (capped at 100)."""
    start = window_end - timedelta(days=364)
    percent_days = 0
    for p in placements:
        if p.started_on is None:
            continue
        first, last = max(p.started_on, start), min(p.ended_on or window_end, window_end)
        if last >= first:
            percent_days += p.fte * ((last - first).days + 1)
    return min(100.0, 100.0 * percent_days / (365 * wanted_fte))


def formidlingsklar_dates(session: Session, candidate_ids: list[int]) -> dict[int, date]:
    """The first day each candidate became formidlingsklar, replaying the checklist history."""
    definitions = definitions_by_time(session)
    if not definitions:
        return {}
    events: dict[int, list[ItemStatusEvent]] = defaultdict(list)
    for chunk in _chunks(candidate_ids):
        stmt = select(ItemStatusEvent).where(col(ItemStatusEvent.candidate_id).in_(chunk))
        for e in session.exec(stmt.order_by(ItemStatusEvent.changed_at, ItemStatusEvent.id)):
            events[e.candidate_id].append(e)
    first: dict[int, date] = {}
    for candidate_id, rows in events.items():
        states: dict[str, ItemState] = {}
        for e in rows:
            states[e.item_key] = ItemState(ItemStatusValue(e.status), e.evidence_date)
            day = _local_day(e.changed_at)
            if definition_in_force(definitions, e.changed_at).evaluate(states, day).formidlingsklar:
                first[candidate_id] = day
                break
    return first


def outcomes(session: Session, actor: Principal, as_of: date | None = None,
             project_id: int | None = None, suppress_small: bool = False) -> list[ProjectOutcomes]:
    day = as_of or today()
    candidates = query_candidates(session, actor, project_id=project_id, include_archived=True)
    projects = dict(session.exec(select(Project.id, Project.name)).all())
    placements: dict[int, list[Placement]] = defaultdict(list)
    follow_ups: dict[int, list[EmploymentFollowUp]] = defaultdict(list)
    ids = [c.id for c in candidates]
    for chunk in _chunks(ids):
        for p in session.exec(select(Placement).where(col(Placement.candidate_id).in_(chunk))):
            placements[p.candidate_id].append(p)
    placement_owner = {p.id: p.candidate_id for ps in placements.values() for p in ps}
    for chunk in _chunks(list(placement_owner)):
        for f in session.exec(select(EmploymentFollowUp).where(col(EmploymentFollowUp.placement_id).in_(chunk),
                                                               col(EmploymentFollowUp.done_on).is_not(None))):
            follow_ups[placement_owner[f.placement_id]].append(f)
    ready_on = formidlingsklar_dates(session, ids)
    offer_on = first_offer_after(session, ids)

    def cell(count: int) -> int | None:
        return None if suppress_small and 0 < count < SMALL_CELL else count

    by_project: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_project[projects[c.project_id]].append(c)
    result = []
    for project, members in sorted(by_project.items()):
        coverage = [year_coverage(placements[c.id], c.wanted_fte, day) for c in members]
        still = {}
        for months in (3, 6, 12):
            answered = [f for c in members for f in follow_ups[c.id] if f.months == months]
            yes = sum(bool(f.still_employed) for f in answered)
            shown_yes, shown_all = cell(yes), cell(len(answered))
            still[str(months)] = "<5" if shown_yes is None or shown_all is None else f"{yes} av {len(answered)}"
        waits = [(offer_on[c.id] - ready_on[c.id]).days for c in members
                 if c.id in ready_on and c.id in offer_on and offer_on[c.id] >= ready_on[c.id]]
        result.append(ProjectOutcomes(
            project=project, candidates=len(members),
            in_paid_work_last_12_months=cell(sum(v > 0 for v in coverage)),
            mean_year_coverage=round(sum(coverage) / len(coverage), 1) if coverage else None,
            still_employed=still,
            median_days_formidlingsklar_to_offer=float(median(waits)) if waits and cell(len(waits)) else None,
        ))
    return result


def report(session: Session, actor: Principal, *, date_from: date | None = None, date_to: date | None = None,
           project_id: int | None = None, suppress_small: bool = False) -> tuple[list[KpiRow], list[ProjectOutcomes]]:
    events = recorded_events(session, actor, project_id)
    table = result_table(events, date_from, date_to, suppress_small, code_labels(session)) if len(events) else []
    return table, outcomes(session, actor, date_to, project_id, suppress_small)


def incentive_rows(session: Session, actor: Principal, as_of: date | None = None,
                   project_id: int | None = None) -> list[IncentiveRow]:
    """The funder's incentive per candidate who has held a job (reports.incentive): names people, so the
    caller audits the read."""
    candidates = query_candidates(session, actor, project_id=project_id, include_archived=True)
    projects = dict(session.exec(select(Project.id, Project.name)).all())
    return incentives(session, [c for c in candidates if c.erased_at is None], projects, as_of or today())

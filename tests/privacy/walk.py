"""A world with something in every table a candidate can appear in, and a request for every route.

`seed` plants a unique marker in every free-text field that can concern a candidate, through the API
where there is one. `SPECS` holds one request per route of the app (API and pages), in an order that
keeps every request valid; the audit test walks them all, and the erasure test reads every GET."""

import io
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, select

from accounts import invitations
from accounts.models import User
from accounts.service import Principal, hash_password, issue_token
from agenda.models import Task
from api.web.deps import LOGIN_CSRF_COOKIE, PREFIX, SESSION_COOKIE, csrf_token_for
from core.types import Role
from core.types import today as local_today
from matching import service as matching
from matching.models import MatchRun, UnlockSuggestionRow
from placement import assessments
from placement.models import EmploymentFollowUp
from placement.schemas import EmployerAssessmentIn
from readiness.schemas import ItemUpdate
from readiness.service import default_definition_in, set_item_status
from selfservice.models import OwnTaskTick, WishChange
from tests.conftest import candidate_payload, hand_over
from tests.employers.conftest import employer_body, vacancy_body
from tests.nav.conftest import nav_ad

PLAN = "2027-01-01"
WALK_USER = "walk.bruker"
WALK_PASSWORDS = ("gul-trikk-ved-fjorden", "blå-ferje-mot-nesodden", "grønn-buss-over-fjellet")
TODAY = local_today().isoformat()
SOON = (local_today() + timedelta(days=30)).isoformat()  # an interview ahead
ORG_A, ORG_B = "974760673", "923609016"  # world's employer user belongs to ORG_A


def org_number(base: str) -> str:
    """A valid organisation number (mod-11 check digit) from eight digits."""
    for last in range(10):
        digits = f"{base[:7]}{last}"
        rest = 11 - sum(int(d) * w for d, w in zip(digits, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        if rest < 10:
            return digits + str(rest % 11)
    raise AssertionError(base)


@dataclass
class Seeded:
    ids: dict[str, Any] = field(default_factory=dict)
    markers: dict[str, str] = field(default_factory=dict)  # where -> the unique text planted there
    people: dict[int, list[str]] = field(default_factory=dict)  # candidate id -> strings that identify them

    def mark(self, where: str) -> str:
        self.markers[where] = f"qzx{len(self.markers):03d}{where.replace('.', '').replace('_', '')[:20]}"
        return self.markers[where]


def _ok(response, status: int = 200):
    assert response.status_code == status, (response.request.url, response.status_code, response.text[:500])
    return response.json() if "json" in response.headers.get("content-type", "") else response


def seed(client, engine, world, *, mentions: bool = False) -> Seeded:
    """Target X and Y in project A, Z in project B; X is in every table. With `mentions`, X's name is
    also written by hand into an employer's notes and an entry not linked to X."""
    s = Seeded()
    admin, consultant, staff = world.headers["admin"], world.headers["consultant"], world.headers["staff_a"]
    employer = _ok(client.post("/employers", json=employer_body(ORG_A, name="Arbeidsgiver Walk A"), headers=admin), 201)
    employer_b = _ok(client.post("/employers", json=employer_body(ORG_B, name="Arbeidsgiver Walk B"), headers=admin), 201)
    s.ids |= {"employer": employer["id"], "employer_b": employer_b["id"]}
    job = dict(start=PLAN, fte=50, headcount=2, working_hours=["evening"], min_norwegian_level="A2")
    s.ids["vacancy"] = _ok(client.post(f"/employers/{employer['id']}/vacancies", json=vacancy_body(**job),
                                       headers=admin), 201)["id"]
    s.ids["vacancy_b"] = _ok(client.post(f"/employers/{employer_b['id']}/vacancies", json=vacancy_body(**job),
                                         headers=admin), 201)["id"]
    key = _ok(client.post("/api-keys", json={"organisation_number": ORG_A, "label": "Walk"}, headers=admin), 201)
    s.ids["key"] = {"X-API-Key": key["key"]}
    s.ids["key_id"] = _ok(client.post("/api-keys", json={"organisation_number": ORG_B, "label": "Revoke me"},
                                      headers=admin), 201)["id"]
    for name in ("held", "held_reject", "held_web"):
        s.ids[name] = _ok(client.post("/employer/vacancies", headers=s.ids["key"], json=vacancy_body(
            external_id=name, description="Norsk som morsmål er et krav.")), 201)["id"]
    for name in ("own_close", "own_filled", "own_web"):
        s.ids[name] = _ok(client.post("/employer/vacancies", headers=s.ids["key"], json=vacancy_body(external_id=name)),
                          201)["id"]
    provider = _ok(client.post("/nav-providers", headers=admin, json={"name": "Walk ATS",
                                                                      "organisation_numbers": [ORG_A]}), 201)
    s.ids["provider"], s.ids["provider_key"] = provider["id"], {"Authorization": f"Bearer {provider['key']}"}
    _ok(client.post(f"/nav-import/api/v1/transfers/{provider['id']}", headers=s.ids["provider_key"],
                    json=nav_ad("walk-1", orgnr=ORG_A)))
    person = _ok(client.post(f"/employers/{employer['id']}/contacts", json={"name": "Kari Leder"}, headers=admin), 201)
    s.ids["person"] = person["id"]
    # The user the walk changes passwords of, resets, ends the sessions of and deactivates: never
    # the admin or consultant whose tokens the walk itself uses.
    s.ids["walk_user"] = _ok(client.post("/users", headers=admin, json={
        "username": WALK_USER, "password": WALK_PASSWORDS[0], "full_name": "Walk Bruker", "role": "consultant"}), 201)["id"]

    consents = [{"purpose": "presentation_to_employers", "given_on": "2026-10-01", "note": s.mark("consent.note")},
                {"purpose": "data_processing", "given_on": "2026-09-01"}]
    x = _ok(client.post("/candidates", headers=staff, json=candidate_payload(
        world.project_a, first_name="Xanthippe", last_name=s.mark("candidate.last_name"),
        email=f"{s.mark('candidate.email')}@example.no", phone="+47 912 34 567",
        address=s.mark("candidate.address"), available_from=PLAN, wanted_fte=50, consents=consents,
        certificates=[{"code": "driving_licence_B", "issued_on": "2020-05-01", "name": s.mark("certificate.name"),
                       "document_ref": s.mark("certificate.document_ref")}],
        experience=[{"employer_name": s.mark("experience.employer_name"), "title": s.mark("experience.title"),
                     "description": s.mark("experience.description")}],
        education=[{"institution": s.mark("education.institution"), "title": s.mark("education.title")}],
        wishes=[{"kind": "sector", "value": "cleaning"}, {"kind": "occupation", "value": s.mark("wish.value")}])), 201)
    y = _ok(client.post("/candidates", headers=staff, json=candidate_payload(
        world.project_a, first_name="Yolanda", last_name="Ypsilonsen", email="yolanda@example.no",
        available_from=PLAN, wanted_fte=50, consents=[consents[0] | {"note": None}])), 201)
    z = _ok(client.post("/candidates", headers=world.headers["staff_b"], json=candidate_payload(
        world.project_b, first_name="Zakarias", last_name="Zettersen", email="zakarias@example.no")), 201)
    X, Y, Z = s.ids["X"], s.ids["Y"], s.ids["Z"] = x["id"], y["id"], z["id"]
    # X and Y are handed over to partner A (the world's consultant's); Z to partner B.
    hand_over(client, world, X, as_user="staff_a")
    # X was taken back once (a note about why) and handed over again: tatt inn igjen.
    _ok(client.post(f"/candidates/{X}/handovers/end", headers=staff, json={
        "reason": "back_to_programme", "note": s.mark("handover.end_note")}))
    _ok(client.post(f"/candidates/{X}/handovers", headers=staff, json={"partner_id": world.partner_a}), 201)
    hand_over(client, world, Y, as_user="staff_a")
    hand_over(client, world, Z, as_user="staff_b", partner="b")
    s.ids |= {"partner_a": world.partner_a, "partner_b": world.partner_b}
    s.people = {X: [f"Xanthippe {x['last_name']}", x["email"], x["last_name"]],
                Y: ["Yolanda Ypsilonsen", "yolanda@example.no"], Z: ["Zakarias Zettersen", "zakarias@example.no"]}
    s.ids["version"] = client.get(f"/candidates/{X}", headers=admin).json()["version"]
    s.ids["consent"] = next(c["id"] for c in x["consents"] if c["purpose"] == "data_processing")

    for cid in (X, Y):
        for item in default_definition_in().items:
            body = {"status": "done", "evidence_date": "2026-11-01", "document_ref": "Arkiv 1"}
            if cid == X and item.key == "intake_assessment":
                body |= {"document_ref": s.mark("evidence.document_ref"), "note": s.mark("evidence.note"),
                         "verified_by": s.mark("evidence.verified_by")}
            _ok(client.put(f"/candidates/{cid}/readiness/{item.key}", json=body, headers=staff))
    _ok(client.post(f"/candidates/{X}/consents", headers=staff, json={
        "purpose": "share_with_employer", "employer_id": employer["id"], "given_on": "2026-10-01",
        "note": s.mark("consent_share.note")}), 201)
    _ok(client.post(f"/candidates/{X}/events", headers=staff, json={
        "kind": "need_uncovered", "on": "2026-10-02", "detail": "norwegian", "note": s.mark("event.note")}), 201)
    _ok(client.post(f"/candidates/{X}/work-practice", headers=staff, json={
        "employer_id": employer["id"], "kind": "practice_training", "start": "2026-10-05",
        "note": s.mark("work_practice.note")}), 201)
    # The programme side: a referral with an intake interview, one refused for "other" reasons, an obstacle.
    s.ids["referral"] = _ok(client.post("/referrals", headers=staff, json={
        "candidate_id": X, "referrer_kind": "nav_office", "referrer_name": "NAV Walk", "referred_on": "2026-09-01",
        "criteria_met": ["age"], "interview_on": "2026-09-03", "interview_note": s.mark("referral.interview_note")}), 201)["id"]
    refused = _ok(client.post("/referrals", headers=staff, json={
        "candidate_id": X, "referrer_kind": "caseworker", "referrer_name": "Saksbehandler Walk",
        "referred_on": "2026-08-01"}), 201)["id"]
    _ok(client.post(f"/referrals/{refused}/decision", headers=staff, json={
        "decision": "refused", "decided_on": "2026-08-02", "refusal_reason": "other",
        "refusal_text": s.mark("referral.refusal_text")}))
    s.ids["obstacle"] = _ok(client.post(f"/candidates/{X}/obstacles", headers=staff, json={
        "kind": "documents", "found_on": "2026-10-02", "owner": "staff", "note": s.mark("obstacle.note")}), 201)["id"]
    s.ids["obstacle_web"] = _ok(client.post(f"/candidates/{X}/obstacles", headers=staff, json={
        "kind": "childcare", "found_on": "2026-10-02", "owner": "candidate"}), 201)["id"]
    # Jobs held before (in the past, so they leave room for the placement below): one with free text
    # about X, one the walk deletes.
    s.ids["job"] = _ok(client.post(f"/candidates/{X}/jobs", headers=staff, json={
        "employer_name": s.mark("candidatejob.employer_name"), "title": s.mark("candidatejob.title"), "fte": 50,
        "start": "2025-01-06", "end": "2025-06-30", "working_hours": ["evening"]}), 201)["id"]
    s.ids["job_spare"] = _ok(client.post(f"/candidates/{X}/jobs", headers=staff, json={
        "employer_id": employer["id"], "fte": 20, "start": "2025-08-04", "end": "2025-08-29"}), 201)["id"]
    s.ids["job_spare_web"] = _ok(client.post(f"/candidates/{X}/jobs", headers=staff, json={
        "employer_name": "Rema Tøyen", "fte": 20, "start": "2024-03-04", "end": "2024-03-29"}), 201)["id"]

    def log(about, summary, outcome=None, follow_up=None):
        return _ok(client.post(f"/employers/{employer['id']}/log", headers=consultant, json={
            "kind": "phone", "occurred_at": "2026-10-10T10:00:00+01:00", "duration_minutes": 12, "summary": summary,
            "outcome": outcome, "next_follow_up": follow_up, "candidate_ids": about}), 201)["id"]

    s.ids["contact"] = log([X], s.mark("contact_only.summary") + " ringte om kandidaten",
                           s.mark("contact_only.outcome"), follow_up="2026-10-20")
    log([X, Y], s.mark("contact_shared.summary") + " om to kandidater", s.mark("contact_shared.outcome"),
        follow_up="2026-10-21")
    if mentions:  # written by hand where no link says it concerns X
        full_name = s.people[X][0]
        log([], f"Snakket om {full_name} uten lenke", f"{full_name.upper()} passer")
        _ok(client.patch(f"/employers/{employer['id']}", headers=admin, json={"notes": f"Lurer på {full_name}."}))
        _ok(client.post(f"/employers/{employer['id']}/status", headers=admin,
                        json={"status": "in_dialogue", "note": f"Etter møtet om {full_name}"}))

    with Session(engine) as session:  # a finished match run, as the background job would leave it
        run = matching.create_run(session, matching.RunParams(plan_start=date.fromisoformat(PLAN), time_limit=3),
                                  world.principal("consultant"))
        session.commit()
        s.ids["run"] = s.ids["latest_run"] = run.id
    matching.execute_run(engine, s.ids["run"])
    with Session(engine) as session:  # as if a pin on X had been impossible: the run's message names X
        run = session.get(MatchRun, s.ids["run"])
        run.messages = [matching.PIN_MESSAGE.format(candidate=X, vacancy=s.ids["vacancy_b"], reason="for langt å reise")]
        session.commit()
    s.people[X].append(f"Låst par kandidat {X} ")
    proposed = _ok(client.get(f"/match-runs/{s.ids['run']}/proposals?candidate_id={X}", headers=admin))
    assert proposed, "the seed run must propose X"
    s.ids["decision"] = _ok(client.post("/match-decisions", headers=consultant, json={
        "candidate_id": X, "vacancy_id": s.ids["vacancy"], "decision": "pin", "note": s.mark("decision.note")}), 201)["id"]
    s.ids["decision_web"] = _ok(client.post("/match-decisions", headers=consultant, json={
        "candidate_id": Y, "vacancy_id": s.ids["vacancy_b"], "decision": "pin"}), 201)["id"]
    s.ids["presentation"] = _ok(client.post("/presentations", headers=consultant, json={
        "candidate_id": X, "vacancy_id": s.ids["vacancy"], "fields": ["norwegian_level", "experience"],
        "summary": s.mark("presentation.summary")}), 201)["id"]
    s.ids["presentation_own"] = _ok(client.post("/presentations", headers=consultant, json={
        "candidate_id": Y, "employer_id": s.ids["employer"], "fields": ["norwegian_level"],
        "summary": "Uoppfordret til walk A"}), 201)["id"]

    # Presenting X for the vacancy put X on its candidate list as presented; an interview is agreed.
    placement = _ok(client.post("/placements", headers=consultant, json={"candidate_id": X, "vacancy_id": s.ids["vacancy"]}),
                    201)["id"]
    s.ids["interview"] = _ok(client.post(f"/placements/{placement}/interviews", headers=consultant, json={
        "starts_at": (local_today() + timedelta(days=7)).isoformat() + "T10:00:00+01:00", "place": "Storgata 1",
        "consultant_attends": True, "notes": s.mark("interview.notes")}), 201)["id"]
    steps = [("interview_held", {"with_consultant": True, "note": s.mark("transition.note")}), ("offer", {}),
             ("accepted", {}), ("started", {"fte": 50, "note": s.mark("transition_start.note")})]
    for to, extra in steps:
        _ok(client.post(f"/placements/{placement}/transitions", headers=consultant, json={"to": to, "on": TODAY, **extra}))
    s.ids["placement"] = placement
    other = _ok(client.post("/placements", headers=consultant, json={"candidate_id": X, "vacancy_id": s.ids["vacancy_b"]}),
                201)["id"]
    _ok(client.post(f"/placements/{other}/transitions", headers=consultant, json={
        "to": "ended", "on": TODAY, "reason": s.mark("transition.reason")}))
    s.ids["placement_open"] = _ok(client.post("/placements", headers=consultant, json={
        "candidate_id": Y, "vacancy_id": s.ids["vacancy_b"]}), 201)["id"]
    with Session(engine) as session:
        follow_ups = session.exec(select(EmploymentFollowUp).where(EmploymentFollowUp.placement_id == placement)
                                  .order_by(EmploymentFollowUp.months)).all()
        s.ids["follow_up"], s.ids["follow_up_next"] = follow_ups[0].id, follow_ups[1].id
        s.ids["follow_up_last"] = follow_ups[2].id
        interview_tasks = session.exec(select(Task).where(Task.interview_id == s.ids["interview"]).order_by(Task.id)).all()
        s.ids["task_web"] = interview_tasks[0].id
        # X's work practice at employer A: the employer's own assessment of it (given on Min side)
        assessments.give(session, X, EmployerAssessmentIn(
            punctuality=4, cooperation=5, work_quality=4, would_hire="yes", note=s.mark("employer_assessment.note")),
            Principal(role=Role.employer, user_id=None, name="Leder Walk A", organisation_number=ORG_A))
        session.commit()
    s.ids["task"] = _ok(client.post("/tasks", headers=consultant, json={
        "title": s.mark("task.title"), "due_on": TODAY, "candidate_id": X, "note": s.mark("task.note")}), 201)["id"]
    feed = _ok(client.post("/calendar-feed", headers=consultant), 201)
    s.ids["ical_token"] = feed["url"].rsplit("/", 1)[1].removesuffix(".ics")
    _ok(client.post(f"/placement-follow-ups/{s.ids['follow_up']}", headers=consultant, json={
        "done_on": TODAY, "still_employed": True, "note": s.mark("follow_up.note")}))
    # A candidate export made by a worker, finished before the walk (its file is a route of its own).
    export = _ok(client.post("/export/candidates.csv", headers=admin), 202)["id"]
    deadline = time.monotonic() + 60
    while client.get(f"/jobs/{export}", headers=admin).json()["state"] in ("queued", "running"):
        assert time.monotonic() < deadline, "the export job did not finish"
        time.sleep(0.1)
    s.ids["export_job"] = export
    # The shared plan: a goal, a task, a comment and a review with text about X; a suggestion to turn into a task.
    plan = f"/candidates/{X}/plan"
    _ok(client.post(plan + "/goals", headers=staff, json={"kind": "text", "text": s.mark("plan_goal.text")}), 201)
    s.ids["plan_goal"] = _ok(client.post(plan + "/goals", headers=staff, json={"kind": "sector", "sector": "retail"}),
                             201)["goals"][-1]["id"]
    s.ids["plan_goal_web"] = _ok(client.post(plan + "/goals", headers=staff, json={"kind": "share", "fte": 80}),
                                 201)["goals"][-1]["id"]
    s.ids["plan_task"] = _ok(client.post(plan + "/tasks", headers=staff, json={
        "title": s.mark("plan_task.title"), "description": s.mark("plan_task.description"), "owner_kind": "consultant",
        "owner_user_id": world.users["consultant"].id, "due_on": TODAY}), 201)["id"]
    _ok(client.post(f"{plan}/tasks/{s.ids['plan_task']}/comments", headers=staff,
                    json={"text": s.mark("plan_comment.text")}), 201)
    _ok(client.post(plan + "/reviews", headers=staff, json={"held_on": TODAY, "note": s.mark("plan_review.note"),
                                                            "next_review_on": days_ahead(7)}), 201)
    s.ids["plan_task_web"] = _ok(client.post(plan + "/tasks", headers=staff, json={
        "title": "Ta med vitnemål", "owner_kind": "candidate"}), 201)["id"]
    with Session(engine) as session:
        rows = [UnlockSuggestionRow(run_id=s.ids["run"], candidate_id=X, kind=kind, value=value, vacancies=2,
                                    text=f"{value} ville åpnet 2 stillinger til")
                for kind, value in (("certificate", "truck_licence"), ("norwegian", "C1"))]
        session.add_all(rows)
        session.commit()
        s.ids["suggestion"], s.ids["suggestion_web"] = rows[0].id, rows[1].id
    _ok(client.post(f"/candidates/{X}/exits", headers=staff, json={  # last: X leaves the programme
        "on": TODAY, "outcome": "interrupted", "reason": "other", "reason_text": s.mark("exit.reason_text")}), 201)
    with Session(engine) as session:  # X's own login, its invitation and message, a tick and new wishes of X's own
        invitations.invite(session, candidate_id=X, first_name="Xanthippe", email=x["email"], phone=None,
                           link_base="/app/logg-inn/invitasjon", actor=world.principal("staff_a"))
        session.add(OwnTaskTick(candidate_id=X, task_key="email_attachments", done_on=local_today(),
                                comment=s.mark("owntasktick.comment")))
        session.add(WishChange(candidate_id=X, sectors=["warehouse"], other=s.mark("wishchange.other"), status="rejected"))
        session.commit()
    for where, marker in s.markers.items():  # a text about X (the shared entry's is about Y too) identifies them
        for cid in (X, Y) if where.startswith("contact_shared") else (X,):
            s.people[cid].append(marker)
    return s


# ---------------------------------------------------------------- one request per route


@dataclass
class Spec:
    path: str  # formatted with the seeded ids
    as_: str = "admin"  # admin | employer_key | web | web_employer | web_admin | login_form (no session yet)
    json: Any = None  # a value, or a function of (client, seeded) giving one
    data: dict | None = None  # a form (pages: the CSRF token is added)
    files: dict | None = None
    expect: int = 200
    wait_for_run: bool = False  # the request starts a match run in the background


def _definition(_client, _s):
    body = default_definition_in().model_dump(mode="json")
    return body | {"title": "Walk"}


def _candidate_version(client, s):
    return {"phone": "+47 913 00 000", "version": client.get(f"/candidates/{s.ids['X']}",
                                                              headers=s.ids["headers"]["admin"]).json()["version"]}


def _version(client, s, who: str) -> str:
    return str(client.get(f"/candidates/{s.ids[who]}", headers=s.ids["headers"]["admin"]).json()["version"])


def _page_profile(client, s) -> dict:
    """Y's profile form as the page posts it: every field it shows, as stored, with a new phone number."""
    y = client.get(f"/candidates/{s.ids['Y']}", headers=s.ids["headers"]["admin"]).json()
    return {"version": str(y["version"]), "first_name": y["first_name"], "last_name": y["last_name"],
            "email": y["email"] or "", "phone": "+47 913 00 001", "project_id": str(y["project_id"]),
            "municipality_code": y["municipality_code"], "wanted_fte": str(y["wanted_fte"]),
            "max_commute_km": str(y["max_commute_km"]), "programme_status": y["programme_status"],
            "available_from": y["available_from"] or "", "working_hours": y["working_hours"],
            "languages": ", ".join(y["languages"]), "norwegian_level": y["norwegian_level"] or ""}


def _checklist_form(client, s, title: str | None = None) -> dict:
    """The checklist page's form as posted: the active version's items, flat."""
    active = client.get("/readiness/definitions/active", headers=s.ids["headers"]["admin"]).json()
    form = {"current_version": str(active["version"]), "title": title or active["title"],
            "ready_threshold": str(active["ready_threshold"])}
    for n, item in enumerate(active["items"]):
        for key in ("key", "label", "description", "kind", "weight", "actor", "step", "expiry_days"):
            form[f"items.{n}.{key}"] = "" if item[key] is None else str(item[key])
        if item["evidence_required"]:
            form[f"items.{n}.evidence_required"] = "true"
    return form


def _codes_form(client, s) -> dict:
    """The code list page's form as posted: the active version's codes, flat, and one new refusal reason."""
    active = client.get("/programme/codes/active", headers=s.ids["headers"]["admin"]).json()
    form = {"current_version": str(active["version"])}
    for n, code in enumerate(active["codes"]):
        form |= {f"codes.{n}.kind": code["kind"], f"codes.{n}.key": code["key"], f"codes.{n}.label": code["label"]}
        if code["requires_text"]:
            form[f"codes.{n}.requires_text"] = "true"
    n = len(active["codes"])
    return form | {f"codes.{n}.kind": "refusal", f"codes.{n}.label": "Fikk plass på kurs"}


CSV_CANDIDATES = "project_id,first_name,last_name,municipality_code\n{project},Importert,Personsen,0301\n"
CSV_EMPLOYERS = "organisation_number,name,sector,municipality_code\n{org},Import AS,cleaning,0301\n"
CSV_VACANCIES = ("organisation_number,external_id,title,occupation_code,municipality_code,fte,contract_type,start,"
                 f"working_hours\n{ORG_A},IMP1,Renholder,9112,0301,50,permanent,{PLAN},evening\n")

# Routes that log in or out: they hold no candidate data (reviewed; keep this list small).
NOT_CANDIDATE_DATA = {
    "POST /auth/token": "login: answers a token",
    "POST /auth/logout": "logout: revokes the caller's token",
    "GET /app/logg-inn": "the login form",
    "POST /app/logg-inn": "login through the form",
    "POST /app/logg-ut": "logout through the form",
    "GET /jobs": "jobs: kind, state, progress, who started it; an import's errors name rows and fields, not people",
    "GET /jobs/{job_id}": "one job, as GET /jobs",
    "POST /jobs/{job_id}/cancel": "cancels a job; answers it as GET /jobs/{job_id}",
    "GET /app/jobber": "the jobs page: GET /jobs as a page",
    "POST /app/jobber/{job_id}/avbryt": "cancel through the jobs page",
}

SPECS: dict[str, Spec] = {
    "GET /health": Spec("/health"),
    "GET /auth/me": Spec("/auth/me"),
    "POST /users": Spec("/users", json={"username": "ny.bruker", "password": "et-langt-passord-1",
                                        "full_name": "Ny Bruker", "role": "consultant"}, expect=201),
    "GET /users": Spec("/users"),
    # The dedicated user changes their password (API, then the form) before an admin resets it.
    "POST /auth/password": Spec("/auth/password", json={
        "username": WALK_USER, "current_password": WALK_PASSWORDS[0], "new_password": WALK_PASSWORDS[1]}),
    "GET /app/logg-inn/nytt-passord": Spec(f"/app/logg-inn/nytt-passord?bruker={WALK_USER}", as_="login_form"),
    "POST /app/logg-inn/nytt-passord": Spec("/app/logg-inn/nytt-passord", as_="login_form", expect=303, data={
        "username": WALK_USER, "current_password": WALK_PASSWORDS[1], "new_password": WALK_PASSWORDS[2],
        "new_password_again": WALK_PASSWORDS[2]}),
    "GET /partners": Spec("/partners"),
    "POST /partners": Spec("/partners", json={"name": "Walk Partner AS"}, expect=201),
    "PUT /users/{user_id}/partner": Spec("/users/{walk_user}/partner?partner_id={partner_b}"),
    "POST /users/{user_id}/reset-password": Spec("/users/{walk_user}/reset-password"),
    "POST /users/{user_id}/revoke-sessions": Spec("/users/{walk_user}/revoke-sessions"),
    "POST /users/{user_id}/deactivate": Spec("/users/{walk_user}/deactivate"),
    "POST /users/{user_id}/activate": Spec("/users/{walk_user}/activate"),
    "POST /api-keys": Spec("/api-keys", json={"organisation_number": ORG_A, "label": "Ny"}, expect=201),
    "GET /api-keys": Spec("/api-keys"),
    "POST /api-keys/{key_id}/revoke": Spec("/api-keys/{key_id}/revoke"),
    "GET /projects": Spec("/projects"),
    "POST /projects": Spec("/projects", json={"name": "Walk", "programme": "P", "municipality_code": "0301"},
                           expect=201),
    "GET /candidates": Spec("/candidates"),
    "POST /candidates": Spec("/candidates", json=lambda c, s: candidate_payload(s.ids["project_a"], first_name="Ny"),
                             expect=201),
    "GET /candidates/{candidate_id}": Spec("/candidates/{X}"),
    "PATCH /candidates/{candidate_id}": Spec("/candidates/{X}", json=_candidate_version),
    "POST /candidates/{candidate_id}/archive": Spec("/candidates/{Y}/archive"),
    "POST /candidates/{candidate_id}/restore": Spec("/candidates/{Y}/restore"),
    "POST /candidates/{candidate_id}/consents": Spec("/candidates/{X}/consents", expect=201, json={
        "purpose": "data_processing", "given_on": "2026-09-02"}),
    "POST /candidates/{candidate_id}/consents/{consent_id}/withdraw": Spec("/candidates/{X}/consents/{consent}/withdraw"),
    # the page's withdrawal of the same consent (withdrawing twice changes nothing, and is still logged)
    "GET /app/kandidater/{candidate_id}/samtykke/{consent_id}/trekk": Spec(
        "/app/kandidater/{X}/samtykke/{consent}/trekk", as_="web_admin"),
    "POST /app/kandidater/{candidate_id}/samtykke/{consent_id}/trekk": Spec(
        "/app/kandidater/{X}/samtykke/{consent}/trekk", as_="web_admin", expect=303),
    "GET /candidates/{candidate_id}/handovers": Spec("/candidates/{X}/handovers"),
    # Z is taken back from partner B, then handed over again (tatt inn igjen).
    "POST /candidates/{candidate_id}/handovers/end": Spec("/candidates/{Z}/handovers/end", json={
        "reason": "back_to_programme", "note": "Trenger mer norsk"}),
    "POST /candidates/{candidate_id}/handovers": Spec("/candidates/{Z}/handovers", expect=201,
                                                      json=lambda c, s: {"partner_id": s.ids["partner_b"]}),
    "GET /candidates/{candidate_id}/partner-activity": Spec("/candidates/{X}/partner-activity"),
    "GET /readiness/definitions": Spec("/readiness/definitions"),
    "GET /readiness/definitions/active": Spec("/readiness/definitions/active"),
    "GET /readiness/definitions/{version}": Spec("/readiness/definitions/1"),
    "POST /readiness/definitions": Spec("/readiness/definitions", json=_definition, expect=201),
    "GET /readiness/overview": Spec("/readiness/overview"),
    "GET /readiness/progress": Spec(f"/readiness/progress?date_from=2026-01-01&date_to={TODAY}"),
    "GET /candidates/{candidate_id}/readiness": Spec("/candidates/{X}/readiness"),
    "PUT /candidates/{candidate_id}/readiness/{item_key}": Spec("/candidates/{X}/readiness/motivation_full_position", json={
        "status": "done", "evidence_date": "2026-11-02", "document_ref": "Arkiv 2"}),
    "GET /candidates/{candidate_id}/readiness/history": Spec("/candidates/{X}/readiness/history"),
    "GET /occupations": Spec("/occupations"),
    "GET /occupations/suggestions": Spec("/occupations/suggestions?title=renholder"),
    "GET /employers": Spec("/employers"),
    "POST /employers": Spec("/employers", json=employer_body(org_number("81234567")), expect=201),
    "GET /employers/{employer_id}": Spec("/employers/{employer}"),
    "PATCH /employers/{employer_id}": Spec("/employers/{employer}", json={"employees": 41}),
    "POST /employers/{employer_id}/status": Spec("/employers/{employer}/status", json={"status": "customer"}),
    "GET /employers/{employer_id}/status-history": Spec("/employers/{employer}/status-history"),
    "GET /employers/{employer_id}/contacts": Spec("/employers/{employer}/contacts"),
    "POST /employers/{employer_id}/contacts": Spec("/employers/{employer}/contacts", json={"name": "Per"}, expect=201),
    "PUT /employers/{employer_id}/contacts/{person_id}": Spec("/employers/{employer}/contacts/{person}",
                                                              json={"name": "Kari Leder", "role": "Daglig leder"}),
    "GET /employers/{employer_id}/agreements": Spec("/employers/{employer}/agreements"),
    "POST /employers/{employer_id}/agreements": Spec("/employers/{employer}/agreements", expect=201, json={
        "kind": "trial_period", "description": "Prøveperiode", "start": "2026-01-01"}),
    "GET /employers/{employer_id}/discrimination": Spec("/employers/{employer}/discrimination"),
    "POST /employers/{employer_id}/discrimination": Spec("/employers/{employer}/discrimination", expect=201, json={
        "observed_on": "2026-10-01", "description": "Sa nei uten grunn"}),
    "GET /employers/{employer_id}/log": Spec("/employers/{employer}/log"),
    "POST /employers/{employer_id}/log": Spec("/employers/{employer}/log", expect=201, json=lambda c, s: {
        "kind": "email", "occurred_at": "2026-10-11T10:00:00+01:00", "duration_minutes": 3, "summary": "CV sendt",
        "candidate_ids": [s.ids["Y"]]}),
    "GET /follow-ups": Spec("/follow-ups?consultant_id=0&include_done=true"),
    "GET /contact-log": Spec("/contact-log?candidate_id={X}"),
    "POST /contact-log": Spec("/contact-log", expect=201, json=lambda c, s: {
        "kind": "sms", "occurred_at": "2026-10-12T09:00:00+01:00", "duration_minutes": 2,
        "summary": "Minnet på intervjuet", "candidate_ids": [s.ids["Y"]]}),
    "POST /contact-log/{contact_id}/follow-up-done": Spec("/contact-log/{contact}/follow-up-done"),
    "GET /contact-time": Spec("/contact-time?by=candidate"),
    "GET /barometer/questions": Spec("/barometer/questions"),
    "GET /barometer/overview": Spec("/barometer/overview"),
    "GET /employers/{employer_id}/barometer": Spec("/employers/{employer}/barometer"),
    "POST /employers/{employer_id}/barometer": Spec("/employers/{employer}/barometer", expect=201, json={
        "asked_on": "2026-10-01", "answers": {"has_diversity_policy": True}}),
    "GET /employers/{employer_id}/barometer/profile": Spec("/employers/{employer}/barometer/profile"),
    "GET /vacancies": Spec("/vacancies"),
    "GET /vacancies/{vacancy_id}": Spec("/vacancies/{vacancy}"),
    "POST /employers/{employer_id}/vacancies": Spec("/employers/{employer}/vacancies", json=vacancy_body(), expect=201),
    "PUT /vacancies/{vacancy_id}": Spec("/vacancies/{vacancy_b}", json=vacancy_body(title="Renholder, helg")),
    "POST /vacancies/{vacancy_id}/release": Spec("/vacancies/{held}/release"),
    "POST /vacancies/{vacancy_id}/reject": Spec("/vacancies/{held_reject}/reject"),
    "GET /employer/presentations": Spec("/employer/presentations", as_="employer_key"),
    "GET /employer/vacancies": Spec("/employer/vacancies", as_="employer_key"),
    "POST /employer/vacancies": Spec("/employer/vacancies", as_="employer_key", json=vacancy_body(), expect=201),
    "GET /employer/vacancies/{vacancy_id}": Spec("/employer/vacancies/{vacancy}", as_="employer_key"),
    "PUT /employer/vacancies/{vacancy_id}": Spec("/employer/vacancies/{own_close}", as_="employer_key",
                                                 json=vacancy_body(title="Renholder, dag")),
    "POST /employer/vacancies/{vacancy_id}/close": Spec("/employer/vacancies/{own_close}/close", as_="employer_key"),
    "POST /employer/vacancies/{vacancy_id}/filled": Spec("/employer/vacancies/{own_filled}/filled", as_="employer_key"),
    "POST /employer/vacancies/bulk": Spec("/employer/vacancies/bulk", as_="employer_key",
                                          json=[vacancy_body(external_id="bulk-1")]),
    "POST /match-runs": Spec("/match-runs", json={"time_limit": 2, "plan_start": PLAN}, expect=202, wait_for_run=True),
    "GET /match-runs": Spec("/match-runs"),
    "GET /match-runs/{run_id}": Spec("/match-runs/{run}"),
    "GET /match-runs/{run_id}/proposals": Spec("/match-runs/{run}/proposals"),
    "GET /match-runs/{run_id}/shortlists": Spec("/match-runs/{run}/shortlists"),
    "GET /match-runs/{run_id}/unlock": Spec("/match-runs/{run}/unlock"),
    "GET /match-runs/{run_id}/changes": Spec("/match-runs/{latest_run}/changes"),
    "POST /match-decisions": Spec("/match-decisions", expect=201, json=lambda c, s: {
        "candidate_id": s.ids["Y"], "vacancy_id": s.ids["vacancy"], "decision": "veto"}),
    "GET /match-decisions": Spec("/match-decisions"),
    "GET /candidates/{candidate_id}/next-steps": Spec("/candidates/{X}/next-steps"),
    "POST /placements": Spec("/placements", expect=201, json=lambda c, s: {"candidate_id": s.ids["Y"],
                                                                          "vacancy_id": s.ids["vacancy"]}),
    "GET /placements": Spec("/placements"),
    "GET /placements/{placement_id}": Spec("/placements/{placement}"),
    "POST /placements/{placement_id}/transitions": Spec("/placements/{placement_open}/transitions",
                                                        json={"to": "presented", "on": TODAY}),
    "GET /candidates/{candidate_id}/work-practice": Spec("/candidates/{X}/work-practice"),
    "POST /candidates/{candidate_id}/work-practice": Spec("/candidates/{X}/work-practice", expect=201, json=lambda c, s: {
        "employer_id": s.ids["employer"], "kind": "wage_subsidy", "start": "2026-11-01", "subsidy_percent": 50}),
    "GET /candidates/{candidate_id}/jobs": Spec("/candidates/{X}/jobs"),
    "POST /candidates/{candidate_id}/jobs": Spec("/candidates/{X}/jobs", expect=201, json={
        "employer_name": "Kiwi Grønland", "title": "Butikkmedarbeider", "fte": 20, "start": "2025-09-01",
        "end": "2025-09-30"}),
    "PUT /candidates/{candidate_id}/jobs/{job_id}": Spec("/candidates/{X}/jobs/{job}", json=lambda c, s: {
        "employer_name": s.markers["candidatejob.employer_name"], "title": s.markers["candidatejob.title"],
        "fte": 50, "start": "2025-01-06", "end": "2025-07-31", "working_hours": ["evening"]}),
    "DELETE /candidates/{candidate_id}/jobs/{job_id}": Spec("/candidates/{X}/jobs/{job_spare}", expect=204),
    "GET /candidates/{candidate_id}/events": Spec("/candidates/{X}/events"),
    "POST /candidates/{candidate_id}/events": Spec("/candidates/{X}/events", expect=201,
                                                   json={"kind": "interview_training", "on": "2026-10-03"}),
    "GET /placement-follow-ups": Spec("/placement-follow-ups?include_done=true"),
    "POST /placement-follow-ups/{follow_up_id}": Spec("/placement-follow-ups/{follow_up_next}", json={
        "done_on": TODAY, "still_employed": True}),
    "POST /presentations": Spec("/presentations", expect=201, json=lambda c, s: {
        "candidate_id": s.ids["X"], "vacancy_id": s.ids["vacancy_b"], "fields": ["languages"], "summary": "Kort"}),
    "GET /candidates/{candidate_id}/presentations": Spec("/candidates/{X}/presentations"),
    "POST /presentations/{presentation_id}/answer": Spec("/presentations/{presentation}/answer", json={
        "answer": "wants_interview", "answer_on": TODAY, "proposed_times": ["2030-01-07T10:00:00+01:00"]}),
    "GET /app/presentasjoner/{presentation_id}/svar": Spec("/app/presentasjoner/{presentation}/svar", as_="web"),
    "POST /app/presentasjoner/{presentation_id}/svar": Spec("/app/presentasjoner/{presentation}/svar", as_="web",
                                                            expect=303, data={"answer": "interested",
                                                                              "answer_on": TODAY}),
    "POST /presentations/{presentation_id}/withdraw": Spec("/presentations/{presentation}/withdraw"),
    "POST /placements/{placement_id}/interviews": Spec("/placements/{placement_open}/interviews", expect=201, json={
        "starts_at": f"{SOON}T10:00:00+01:00", "place": "Storgata 1"}),
    "GET /placements/{placement_id}/interviews": Spec("/placements/{placement}/interviews"),
    "POST /tasks": Spec("/tasks", expect=201, json=lambda c, s: {"title": "Ring", "due_on": TODAY,
                                                                 "candidate_id": s.ids["Y"]}),
    "GET /tasks": Spec("/tasks?include_done=true"),
    "POST /tasks/{task_id}/done": Spec("/tasks/{task}/done", json={"note": "Ringt"}),
    "GET /agenda": Spec(f"/agenda?start={(local_today() - timedelta(days=30)).isoformat()}&end={TODAY}"),
    "GET /ical/{token}.ics": Spec("/ical/{ical_token}.ics"),
    "POST /calendar-feed": Spec("/calendar-feed", expect=201),
    "DELETE /calendar-feed": Spec("/calendar-feed", expect=204),
    "GET /programme/codes": Spec("/programme/codes"),
    "GET /programme/codes/active": Spec("/programme/codes/active"),
    "GET /projects/{project_id}/intake-criteria": Spec("/projects/{project_a}/intake-criteria"),
    "POST /projects/{project_id}/intake-criteria": Spec("/projects/{project_a}/intake-criteria", expect=201,
                                                        json={"key": "lives_in_oslo", "label": "Bor i Oslo"}),
    "POST /referrals": Spec("/referrals", expect=201, json=lambda c, s: {
        "candidate_id": s.ids["Y"], "referrer_kind": "nav_office", "referrer_name": "NAV Alna", "referred_on": TODAY}),
    "GET /referrals": Spec("/referrals"),
    "GET /referrals/{referral_id}": Spec("/referrals/{referral}"),
    "POST /referrals/{referral_id}/decision": Spec("/referrals/{referral}/decision", json={
        "decision": "waiting_list", "decided_on": TODAY}),
    "GET /candidates/{candidate_id}/obstacles": Spec("/candidates/{X}/obstacles"),
    "POST /candidates/{candidate_id}/obstacles": Spec("/candidates/{X}/obstacles", expect=201, json={
        "kind": "health", "found_on": TODAY, "owner": "candidate"}),
    "POST /candidates/{candidate_id}/obstacles/{obstacle_id}/resolve": Spec("/candidates/{X}/obstacles/{obstacle}/resolve",
                                                                           json={"resolved_on": TODAY}),
    "GET /candidates/{candidate_id}/exits": Spec("/candidates/{X}/exits"),
    "POST /candidates/{candidate_id}/exits": Spec("/candidates/{Y}/exits", expect=201, json={
        "on": TODAY, "outcome": "completed", "reason": "to_work"}),
    "POST /programme/codes": Spec("/programme/codes", expect=201, json={"codes": [
        {"kind": "refusal", "key": "no_need", "label": "Ikke behov"},
        {"kind": "completed", "key": "to_work", "label": "Til arbeid"},
        {"kind": "interrupted", "key": "moved", "label": "Flyttet"}]}),
    "GET /reports/results": Spec("/reports/results"),
    "GET /reports/incentive": Spec(f"/reports/incentive?as_of={TODAY}"),
    "GET /reports/results.{extension}": Spec("/reports/results.xlsx"),
    "POST /import/candidates": Spec("/import/candidates", files=lambda c, s: {"file": (
        "k.csv", CSV_CANDIDATES.format(project=s.ids["project_a"]).encode())}),
    "POST /import/employers": Spec("/import/employers", files=lambda c, s: {"file": (
        "e.csv", CSV_EMPLOYERS.format(org=org_number("71234567")).encode())}),
    "POST /import/vacancies": Spec("/import/vacancies", files={"file": ("v.csv", CSV_VACANCIES.encode())}),
    "GET /export/candidates.{fmt}": Spec("/export/candidates.xlsx"),
    "GET /export/employers.{fmt}": Spec("/export/employers.csv"),
    "GET /export/vacancies.{fmt}": Spec("/export/vacancies.xlsx"),
    # Ordering an export as a job answers the job (no candidate data); the worker audits what it reads.
    "POST /export/candidates.{fmt}": Spec("/export/candidates.xlsx", expect=202),
    "POST /export/employers.{fmt}": Spec("/export/employers.csv", expect=202),
    "POST /export/vacancies.{fmt}": Spec("/export/vacancies.csv", expect=202),
    "GET /jobs/{job_id}/file": Spec("/jobs/{export_job}/file"),
    "GET /candidates/{candidate_id}/access-log": Spec("/candidates/{X}/access-log"),
    "GET /candidates/{candidate_id}/data-export": Spec("/candidates/{X}/data-export"),
    # pages
    "GET /": Spec("/", as_="web", expect=303),
    "GET /app/": Spec("/app/", as_="web"),
    "GET /app/kandidater": Spec("/app/kandidater", as_="web"),
    "GET /app/kandidater/{candidate_id}": Spec("/app/kandidater/{X}", as_="web"),
    "GET /app/kandidater/{candidate_id}/jobber": Spec("/app/kandidater/{X}/jobber", as_="web"),
    "POST /app/kandidater/{candidate_id}/jobber": Spec("/app/kandidater/{X}/jobber", as_="web", expect=303, data={
        "employer_name": "Coop Extra", "fte": "20", "start": "02.09.2024", "end": "27.09.2024"}),
    "POST /app/kandidater/{candidate_id}/jobber/{job_id}/slett": Spec("/app/kandidater/{X}/jobber/{job_spare_web}/slett",
                                                                     as_="web", expect=303),
    "POST /app/kandidater/{candidate_id}/sjekkliste/{item_key}": Spec(
        "/app/kandidater/{X}/sjekkliste/motivation_full_position", as_="web", data={"status": "in_progress"}, expect=303),
    "GET /app/kandidater/{candidate_id}/presenter": Spec("/app/kandidater/{X}/presenter", as_="web"),
    "POST /app/kandidater/{candidate_id}/presenter": Spec("/app/kandidater/{X}/presenter", as_="web", expect=303,
                                                          data=lambda c, s: {"employer_id": str(s.ids["employer_b"]),
                                                                             "fields": "languages", "summary": "Kort",
                                                                             "handling": "presenter"}),
    "GET /app/plasseringer/{placement_id}/intervju": Spec("/app/plasseringer/{placement_open}/intervju", as_="web"),
    "POST /app/plasseringer/{placement_id}/intervju": Spec("/app/plasseringer/{placement_open}/intervju", as_="web",
                                                           expect=303, data={"starts_at": f"{date.fromisoformat(SOON):%d.%m.%Y} 12:00",
                                                                             "place": "Video"}),
    "GET /app/agenda": Spec("/app/agenda?periode=uke", as_="web"),
    "POST /app/agenda/oppgaver/{task_id}/ferdig": Spec("/app/agenda/oppgaver/{task_web}/ferdig", as_="web",
                                                       expect=303, data={"tilbake": "/app/agenda?periode=dag"}),
    "POST /app/agenda/oppfolging/{follow_up_id}/ferdig": Spec("/app/agenda/oppfolging/{follow_up_last}/ferdig",
                                                              as_="web", expect=303, data={"still_employed": "true"}),
    "POST /app/agenda/kalender": Spec("/app/agenda/kalender", as_="web"),
    "GET /app/agenda/kalender/trekk": Spec("/app/agenda/kalender/trekk", as_="web"),
    "POST /app/agenda/kalender/trekk": Spec("/app/agenda/kalender/trekk", as_="web", expect=303),
    "GET /app/oppgaver/ny": Spec("/app/oppgaver/ny?kandidat={X}", as_="web"),
    "POST /app/oppgaver/ny": Spec("/app/oppgaver/ny", as_="web", expect=303, data={
        "title": "Hent attest", "candidate_name": "Yolanda Ypsilonsen", "due_on": TODAY}),
    "GET /app/navnesok": Spec("/app/navnesok?hva=kandidat&q=Xanthippe", as_="web"),
    "GET /app/kandidater/ny": Spec("/app/kandidater/ny", as_="web_admin"),
    "POST /app/kandidater/ny": Spec("/app/kandidater/ny", as_="web_admin", expect=303, data=lambda c, s: {
        "project_id": str(s.ids["project_a"]), "first_name": "Side", "last_name": "Registrert",
        "consents.0.purpose": "data_processing", "consents.0.given_on": "01.11.2026"}),
    "GET /app/kandidater/{candidate_id}/endre": Spec("/app/kandidater/{Y}/endre", as_="web_admin"),
    "POST /app/kandidater/{candidate_id}/endre": Spec("/app/kandidater/{Y}/endre", as_="web_admin", expect=303,
                                                      data=lambda c, s: _page_profile(c, s)),
    "GET /app/kandidater/{candidate_id}/cv": Spec("/app/kandidater/{Y}/cv", as_="web"),
    "POST /app/kandidater/{candidate_id}/cv": Spec("/app/kandidater/{Y}/cv", as_="web", expect=303,
                                                   data=lambda c, s: {"version": _version(c, s, "Y"),
        "experience.0.title": "Renholder", "experience.0.employer_name": "Side AS", "wishes_shown": "1",
        "wish_sectors": "cleaning", "references.0.name": "Per Referanse", "references.0.relation": "Leder"}),
    "GET /app/kandidater/{candidate_id}/cv.pdf": Spec("/app/kandidater/{X}/cv.pdf", as_="web"),
    "GET /app/yrker": Spec("/app/yrker?q=renhold", as_="web"),
    "GET /app/kandidater/{candidate_id}/samtykke/ny": Spec("/app/kandidater/{X}/samtykke/ny", as_="web_admin"),
    "POST /app/kandidater/{candidate_id}/samtykke/ny": Spec("/app/kandidater/{X}/samtykke/ny", as_="web_admin",
        expect=303, data={"purpose": "presentation_to_employers", "given_on": "02.11.2026"}),
    "GET /app/kandidater/{candidate_id}/arkiver": Spec("/app/kandidater/{Y}/arkiver", as_="web_admin"),
    "POST /app/kandidater/{candidate_id}/arkiver": Spec("/app/kandidater/{Y}/arkiver", as_="web_admin", expect=303),
    "POST /app/kandidater/{candidate_id}/gjenopprett": Spec("/app/kandidater/{Y}/gjenopprett", as_="web_admin",
                                                            expect=303),
    "GET /app/henvisninger": Spec("/app/henvisninger", as_="web_admin"),
    "GET /app/henvisninger/ny": Spec("/app/henvisninger/ny", as_="web_admin"),
    "POST /app/henvisninger/ny": Spec("/app/henvisninger/ny", as_="web_admin", expect=303, data=lambda c, s: {
        "first_name": "Henvist", "last_name": "Walkesen", "project_id": str(s.ids["project_a"]),
        "referrer_kind": "nav_office", "referrer_name": "NAV Walk", "referred_on": "01.11.2026"}),
    "GET /app/henvisninger/{referral_id}": Spec("/app/henvisninger/{referral}", as_="web_admin"),
    "POST /app/henvisninger/{referral_id}/vedtak": Spec("/app/henvisninger/{referral}/vedtak", as_="web_admin", expect=303,
                                                        data={"decision": "admitted", "decided_on": "02.11.2026",
                                                              "start_on": "03.11.2026"}),
    "GET /app/kandidater/{candidate_id}/hindringer/ny": Spec("/app/kandidater/{X}/hindringer/ny", as_="web"),
    "POST /app/kandidater/{candidate_id}/hindringer/ny": Spec("/app/kandidater/{X}/hindringer/ny", as_="web", expect=303,
                                                             data={"kind": "moving", "found_on": "02.11.2026",
                                                                   "owner": "staff"}),
    "POST /app/kandidater/{candidate_id}/hindringer/{obstacle_id}/lost": Spec(
        "/app/kandidater/{X}/hindringer/{obstacle_web}/lost", as_="web", expect=303),
    "GET /app/kandidater/{candidate_id}/avslutning": Spec("/app/kandidater/{Y}/avslutning", as_="web_admin"),
    "POST /app/kandidater/{candidate_id}/avslutning": Spec("/app/kandidater/{Y}/avslutning", as_="web_admin", expect=303,
                                                          data={"on": local_today().strftime("%d.%m.%Y"),
                                                                "reason": "interrupted:moved"}),
    "GET /app/kandidater/{candidate_id}/tildeling/avslutt": Spec("/app/kandidater/{Z}/tildeling/avslutt",
                                                                 as_="web_admin"),
    "POST /app/kandidater/{candidate_id}/tildeling/avslutt": Spec("/app/kandidater/{Z}/tildeling/avslutt",
                                                                  as_="web_admin", expect=303,
                                                                  data={"reason": "candidate_wish"}),
    "POST /app/kandidater/{candidate_id}/tildeling": Spec("/app/kandidater/{Z}/tildeling", as_="web_admin",
                                                          expect=303,
                                                          data=lambda c, s: {"partner_id": str(s.ids["partner_b"])}),
    "GET /app/arbeidsgivere": Spec("/app/arbeidsgivere", as_="web"),
    "GET /app/arbeidsgivere/{employer_id}": Spec("/app/arbeidsgivere/{employer}", as_="web"),
    "POST /app/arbeidsgivere/{employer_id}/logg": Spec("/app/arbeidsgivere/{employer}/logg", as_="web", expect=303,
                                                       data=lambda c, s: {"kind": "phone", "duration_minutes": "4",
                                                                          "summary": "Fulgte opp",
                                                                          "candidate_ids": str(s.ids["Y"])}),
    "POST /app/arbeidsgivere/{employer_id}/status": Spec("/app/arbeidsgivere/{employer}/status", as_="web", expect=303,
                                                         data={"status": "in_dialogue"}),
    "POST /app/arbeidsgivere/{employer_id}/oppfolging/{contact_id}": Spec(
        "/app/arbeidsgivere/{employer}/oppfolging/{contact}", as_="web", expect=303),
    "GET /app/arbeidsgivere/{employer_id}/barometer/ny": Spec("/app/arbeidsgivere/{employer}/barometer/ny",
                                                              as_="web"),
    "POST /app/arbeidsgivere/{employer_id}/barometer/ny": Spec(
        "/app/arbeidsgivere/{employer}/barometer/ny", as_="web", expect=303,
        data={"asked_on": TODAY, "answers.has_diversity_policy": "true", "answers.attitude_to_hiring": "4"}),
    "GET /app/arbeidsgivere/ny": Spec("/app/arbeidsgivere/ny", as_="web"),
    "POST /app/arbeidsgivere/ny": Spec("/app/arbeidsgivere/ny", as_="web", expect=303, data={
        "organisation_number": "981 276 957", "name": "Gangvei AS", "sector": "cleaning", "municipality_code": "0301"}),
    "GET /app/arbeidsgivere/{employer_id}/endre": Spec("/app/arbeidsgivere/{employer}/endre", as_="web"),
    "POST /app/arbeidsgivere/{employer_id}/endre": Spec("/app/arbeidsgivere/{employer}/endre", as_="web", expect=303,
                                                        data={"name": "Gangvei Renhold AS", "sector": "cleaning",
                                                              "municipality_code": "0301"}),
    "GET /app/arbeidsgivere/{employer_id}/kontaktperson/ny": Spec("/app/arbeidsgivere/{employer}/kontaktperson/ny",
                                                                  as_="web"),
    "POST /app/arbeidsgivere/{employer_id}/kontaktperson/ny": Spec(
        "/app/arbeidsgivere/{employer}/kontaktperson/ny", as_="web", expect=303, data={"name": "Per Leder"}),
    "GET /app/arbeidsgivere/{employer_id}/avtale/ny": Spec("/app/arbeidsgivere/{employer}/avtale/ny", as_="web"),
    "POST /app/arbeidsgivere/{employer_id}/avtale/ny": Spec(
        "/app/arbeidsgivere/{employer}/avtale/ny", as_="web", expect=303,
        data={"kind": "work_practice", "start": "01.01.2027", "description": "Praksisplasser i renhold"}),
    "GET /app/arbeidsgivere/{employer_id}/stillinger/ny": Spec("/app/arbeidsgivere/{employer}/stillinger/ny",
                                                               as_="web"),
    "POST /app/arbeidsgivere/{employer_id}/stillinger/ny": Spec(
        "/app/arbeidsgivere/{employer}/stillinger/ny", as_="web", expect=303,
        data={"title": "Renholder", "occupation_code": "9112 Renholder", "municipality_code": "0301", "fte": "50",
              "contract_type": "permanent", "start": "01.02.2027", "working_hours": "evening", "headcount": "1"}),
    "POST /app/stillinger/{vacancy_id}/gjennomgang": Spec("/app/stillinger/{held_web}/gjennomgang", as_="web",
                                                          data={"decision": "release"}, expect=303),
    "GET /app/min-side": Spec("/app/min-side", as_="web_employer"),
    "GET /app/min-side/vurderinger": Spec("/app/min-side/vurderinger", as_="web_employer"),
    "GET /app/min-side/vurderinger/{candidate_id}": Spec("/app/min-side/vurderinger/{X}", as_="web_employer"),
    "POST /app/min-side/vurderinger/{candidate_id}": Spec(
        "/app/min-side/vurderinger/{X}", as_="web_employer", expect=303,
        data={"punctuality": "4", "cooperation": "5", "work_quality": "4", "would_hire": "yes", "note": "Stabil"}),
    "GET /app/min-side/presentasjoner": Spec("/app/min-side/presentasjoner", as_="web_employer"),
    "GET /app/min-side/presentasjoner/{presentation_id}/svar": Spec(
        "/app/min-side/presentasjoner/{presentation_own}/svar", as_="web_employer"),
    "POST /app/min-side/presentasjoner/{presentation_id}/svar": Spec(
        "/app/min-side/presentasjoner/{presentation_own}/svar", as_="web_employer", expect=303,
        data={"answer": "wants_interview", "proposed_times.0": "07.01.2030 10:00"}),
    "GET /app/stillinger/{vacancy_id}": Spec("/app/stillinger/{vacancy}", as_="web"),
    "POST /app/stillinger/{vacancy_id}/kandidater": Spec("/app/stillinger/{vacancy}/kandidater", as_="web", expect=303,
                                                         data=lambda c, s: {"candidate_id": str(s.ids["Y"])}),
    "POST /app/plasseringer/{placement_id}/flytt": Spec("/app/plasseringer/{placement_open}/flytt", as_="web",
                                                        expect=303, data={"to": "interview_held", "on": TODAY}),
    "POST /app/plasseringer/{placement_id}/avslutt": Spec("/app/plasseringer/{placement_open}/avslutt", as_="web",
                                                          expect=303, data={"grunn": "declined", "on": TODAY,
                                                                            "bekreft": "true"}),
    "GET /app/tavle": Spec("/app/tavle", as_="web"),
    "GET /app/kandidatsok": Spec("/app/kandidatsok?q=Yolanda", as_="web"),
    "GET /app/kontakter": Spec("/app/kontakter", as_="web"),
    "POST /app/kontakter": Spec("/app/kontakter", as_="web", expect=303, data=lambda c, s: {
        "kind": "meeting", "occurred_at": "10.10.2026 12:00", "duration_minutes": "30", "summary": "Møte om CV",
        "candidate_ids": str(s.ids["Y"])}),
    "GET /app/tid": Spec("/app/tid?fra=01.01.2026", as_="web"),
    "POST /app/oppfolging/kontakt/{contact_id}": Spec("/app/oppfolging/kontakt/{contact}", as_="web", expect=303,
                                                      data={"note": "Ringte tilbake"}),
    "POST /app/oppfolging/ansettelse/{follow_up_id}": Spec("/app/oppfolging/ansettelse/{follow_up_next}", as_="web",
                                                           expect=303, data={"still_employed": "true"}),
    "GET /app/min-side/stillinger/ny": Spec("/app/min-side/stillinger/ny", as_="web_employer"),
    "POST /app/min-side/stillinger/ny": Spec("/app/min-side/stillinger/ny", as_="web_employer", expect=303,
                                             data={"title": "Renholder", "occupation_code": "9112 Renholder", "municipality_code": "0301", "fte": "50",
              "contract_type": "permanent", "start": "01.02.2027", "working_hours": "evening", "headcount": "1"}),
    "GET /app/min-side/stillinger/{vacancy_id}/endre": Spec("/app/min-side/stillinger/{own_web}/endre",
                                                            as_="web_employer"),
    "POST /app/min-side/stillinger/{vacancy_id}/endre": Spec("/app/min-side/stillinger/{own_web}/endre",
                                                             as_="web_employer", expect=303, data={"title": "Renholder", "occupation_code": "9112 Renholder", "municipality_code": "0301", "fte": "50",
              "contract_type": "permanent", "start": "01.02.2027", "working_hours": "evening", "headcount": "1"}),
    "GET /app/min-side/stillinger/{vacancy_id}/{action}": Spec("/app/min-side/stillinger/{own_web}/lukk",
                                                               as_="web_employer"),
    "POST /app/min-side/stillinger/{vacancy_id}/{action}": Spec("/app/min-side/stillinger/{own_web}/besatt",
                                                                as_="web_employer", expect=303),
    "GET /app/matching": Spec("/app/matching", as_="web"),
    "POST /app/matching": Spec("/app/matching", as_="web", data={"time_limit": "2", "plan_start": PLAN}, expect=303,
                               wait_for_run=True),
    "GET /app/matching/{run_id}/status": Spec("/app/matching/{run}/status", as_="web"),
    "GET /app/matching/{run_id}": Spec("/app/matching/{run}", as_="web"),
    "GET /app/matching/{run_id}/kortlister": Spec("/app/matching/{run}/kortlister", as_="web"),
    "POST /app/matching/beslutning": Spec("/app/matching/beslutning", as_="web", expect=303, data=lambda c, s: {
        "candidate_id": str(s.ids["X"]), "vacancy_id": str(s.ids["vacancy_b"]), "decision": "veto"}),
    "POST /app/matching/beslutning/{decision_id}/trekk": Spec("/app/matching/beslutning/{decision_web}/trekk",
                                                              as_="web", expect=303),
    "GET /app/rapporter/resultatrapport.{extension}": Spec("/app/rapporter/resultatrapport.csv", as_="web"),
    "GET /app/rapporter": Spec("/app/rapporter", as_="web"),
    "GET /app/brukere": Spec("/app/brukere", as_="web_admin"),
    "GET /app/brukere/ny": Spec("/app/brukere/ny", as_="web_admin"),
    "POST /app/brukere/ny": Spec("/app/brukere/ny", as_="web_admin", data={
        "username": "side.bruker", "full_name": "Side Bruker", "role": "consultant"}),
    "GET /app/brukere/{user_id}/rolle": Spec("/app/brukere/{walk_user}/rolle", as_="web_admin"),
    "POST /app/brukere/{user_id}/rolle": Spec("/app/brukere/{walk_user}/rolle", as_="web_admin", expect=303,
                                              data={"role": "consultant"}),
    "GET /app/prosjekter": Spec("/app/prosjekter", as_="web_admin"),
    "GET /app/prosjekter/ny": Spec("/app/prosjekter/ny", as_="web_admin"),
    "POST /app/prosjekter/ny": Spec("/app/prosjekter/ny", as_="web_admin", expect=303, data={
        "name": "Side-prosjekt", "programme": "Introduksjonsprogrammet", "municipality_code": "4601"}),
    "GET /app/prosjekter/{project_id}/endre": Spec("/app/prosjekter/{project_a}/endre", as_="web_admin"),
    "POST /app/prosjekter/{project_id}/endre": Spec("/app/prosjekter/{project_a}/endre", as_="web_admin", expect=303,
                                                    data={"name": "Walk A (nytt navn)", "programme": "P"}),
    "GET /app/api-nokler": Spec("/app/api-nokler", as_="web"),
    "POST /app/api-nokler": Spec("/app/api-nokler", as_="web", data={"organisation_number": ORG_A, "label": "Side"}),
    "GET /app/api-nokler/{key_id}/trekk": Spec("/app/api-nokler/{key_id}/trekk", as_="web"),
    "POST /app/api-nokler/{key_id}/trekk": Spec("/app/api-nokler/{key_id}/trekk", as_="web", expect=303),
    "GET /app/sjekkliste": Spec("/app/sjekkliste", as_="web_admin"),
    "POST /app/sjekkliste/forhandsvis": Spec("/app/sjekkliste/forhandsvis", as_="web_admin",
                                             data=lambda c, s: _checklist_form(c, s)),
    "POST /app/sjekkliste/tilbake": Spec("/app/sjekkliste/tilbake", as_="web_admin",
                                         data=lambda c, s: _checklist_form(c, s)),
    "POST /app/sjekkliste/publiser": Spec("/app/sjekkliste/publiser", as_="web_admin", expect=303,
                                          data=lambda c, s: _checklist_form(c, s, title="Fra siden")),
    "GET /app/kodelister": Spec("/app/kodelister", as_="web_admin"),
    "POST /app/kodelister/forhandsvis": Spec("/app/kodelister/forhandsvis", as_="web_admin",
                                             data=lambda c, s: _codes_form(c, s)),
    "POST /app/kodelister/tilbake": Spec("/app/kodelister/tilbake", as_="web_admin",
                                         data=lambda c, s: _codes_form(c, s)),
    "POST /app/kodelister/publiser": Spec("/app/kodelister/publiser", as_="web_admin", expect=303,
                                          data=lambda c, s: _codes_form(c, s)),
    "GET /app/prosjekter/{project_id}/inntakskriterier": Spec("/app/prosjekter/{project_a}/inntakskriterier", as_="web_admin"),
    "POST /app/prosjekter/{project_id}/inntakskriterier": Spec("/app/prosjekter/{project_a}/inntakskriterier", as_="web_admin",
                                                               expect=303,
                                                               data={"label": "Bor i bydelen fra siden"}),
    "GET /app/partnere": Spec("/app/partnere", as_="web_admin"),
    "POST /app/partnere": Spec("/app/partnere", as_="web_admin", expect=303,
                               data={"name": "Side Partner AS", "organisation_number": ""}),
    "GET /app/brukere/{user_id}/partner": Spec("/app/brukere/{walk_user}/partner", as_="web_admin"),
    "POST /app/brukere/{user_id}/partner": Spec("/app/brukere/{walk_user}/partner", as_="web_admin", expect=303,
                                                data=lambda c, s: {"partner_id": str(s.ids["partner_b"])}),
    "POST /nav-import/api/v1/transfers/{provider_id}": Spec("/nav-import/api/v1/transfers/{provider}", as_="provider",
                                                            json=nav_ad("walk-2", orgnr=ORG_A)),
    "POST /nav-import/api/v1/transfers/batch/{provider_id}": Spec(
        "/nav-import/api/v1/transfers/batch/{provider}", as_="provider", json=[nav_ad("walk-3", orgnr=ORG_A)],
        expect=201),
    "GET /nav-import/api/v1/transfers/{provider_id}/versions/{version_id}": Spec(
        "/nav-import/api/v1/transfers/{provider}/versions/1", as_="provider"),
    "GET /nav-import/api/v1/adminstatus/{provider_id}/{reference}": Spec(
        "/nav-import/api/v1/adminstatus/{provider}/walk-1", as_="provider"),
    "DELETE /nav-import/api/v1/transfers/{provider_id}/{reference}": Spec(
        "/nav-import/api/v1/transfers/{provider}/walk-3", as_="provider"),
    "GET /nav-import/api/v1/properties/values": Spec("/nav-import/api/v1/properties/values", as_="provider"),
    "POST /nav-providers": Spec("/nav-providers", json={"name": "Ny ATS", "organisation_numbers": [ORG_B]}, expect=201),
    "GET /nav-providers": Spec("/nav-providers"),
    "POST /nav-providers/{provider_id}/grants": Spec("/nav-providers/{provider}/grants",
                                                     json={"organisation_numbers": [ORG_B]}),
    "GET /nav-feed/rules": Spec("/nav-feed/rules"),
    "PUT /nav-feed/rules": Spec("/nav-feed/rules", json={"municipality_codes": ["0301"], "min_fte": 20}),
    "GET /app/brukere/{user_id}/{action}": Spec("/app/brukere/{walk_user}/deactivate", as_="web_admin"),
    "POST /app/brukere/{user_id}/{action}": Spec("/app/brukere/{walk_user}/deactivate", as_="web_admin", expect=303),
    # the shared plan (after the checklist page above has left X's motivation item missing)
    "GET /candidates/{candidate_id}/plan": Spec("/candidates/{X}/plan"),
    "POST /candidates/{candidate_id}/plan": Spec("/candidates/{X}/plan"),
    "PATCH /candidates/{candidate_id}/plan": Spec("/candidates/{X}/plan", json={"next_review_on": PLAN}),
    "GET /candidates/{candidate_id}/plan/history": Spec("/candidates/{X}/plan/history"),
    "GET /candidates/{candidate_id}/plan/people": Spec("/candidates/{X}/plan/people"),
    "POST /candidates/{candidate_id}/plan/goals": Spec("/candidates/{X}/plan/goals", expect=201,
                                                       json={"kind": "sector", "sector": "hotel"}),
    "DELETE /candidates/{candidate_id}/plan/goals/{goal_id}": Spec("/candidates/{X}/plan/goals/{plan_goal}"),
    "POST /candidates/{candidate_id}/plan/tasks": Spec("/candidates/{X}/plan/tasks", expect=201, json={
        "title": "Øve på intervju", "owner_kind": "candidate", "due_on": PLAN}),
    "PATCH /candidates/{candidate_id}/plan/tasks/{task_id}": Spec("/candidates/{X}/plan/tasks/{plan_task}",
                                                                  json={"due_on": PLAN}),
    "POST /candidates/{candidate_id}/plan/tasks/{task_id}/comments": Spec(
        "/candidates/{X}/plan/tasks/{plan_task}/comments", expect=201, json={"text": "Ringte i dag"}),
    "POST /candidates/{candidate_id}/plan/tasks/{task_id}/done": Spec("/candidates/{X}/plan/tasks/{plan_task}/done"),
    "POST /candidates/{candidate_id}/plan/tasks/from-checklist/{item_key}": Spec(
        "/candidates/{X}/plan/tasks/from-checklist/motivation_full_position", expect=201),
    "POST /candidates/{candidate_id}/plan/tasks/from-suggestion/{suggestion_id}": Spec(
        "/candidates/{X}/plan/tasks/from-suggestion/{suggestion}", expect=201),
    "POST /candidates/{candidate_id}/plan/reviews": Spec("/candidates/{X}/plan/reviews", expect=201, json={
        "held_on": TODAY, "note": "Gikk gjennom planen"}),
    "GET /plan-tasks/due": Spec(f"/plan-tasks/due?until={PLAN}"),
    "GET /plan-reviews/due": Spec(f"/plan-reviews/due?until={PLAN}"),
    "GET /app/kandidater/{candidate_id}/plan": Spec("/app/kandidater/{X}/plan", as_="web"),
    "POST /app/kandidater/{candidate_id}/plan": Spec("/app/kandidater/{X}/plan", as_="web", expect=303),
    "POST /app/kandidater/{candidate_id}/plan/mal": Spec("/app/kandidater/{X}/plan/mal", as_="web", expect=303,
                                                         data={"kind": "text", "text": "Jobbe i hotell"}),
    "POST /app/kandidater/{candidate_id}/plan/mal/{goal_id}/fjern": Spec(
        "/app/kandidater/{X}/plan/mal/{plan_goal_web}/fjern", as_="web", expect=303),
    "POST /app/kandidater/{candidate_id}/plan/oppgaver": Spec("/app/kandidater/{X}/plan/oppgaver", as_="web",
                                                              expect=303, data={"title": "Kjøpe arbeidssko",
                                                                                "owner_kind": "candidate"}),
    "GET /app/kandidater/{candidate_id}/plan/oppgaver/{task_id}/endre": Spec(
        "/app/kandidater/{X}/plan/oppgaver/{plan_task_web}/endre", as_="web"),
    "POST /app/kandidater/{candidate_id}/plan/oppgaver/{task_id}/endre": Spec(
        "/app/kandidater/{X}/plan/oppgaver/{plan_task_web}/endre", as_="web", expect=303,
        data={"title": "Ta med vitnemål og attester", "owner_kind": "candidate", "status": "open"}),
    "POST /app/kandidater/{candidate_id}/plan/oppgaver/{task_id}/kommentar": Spec(
        "/app/kandidater/{X}/plan/oppgaver/{plan_task_web}/kommentar", as_="web", expect=303, data={"text": "Ok"}),
    "POST /app/kandidater/{candidate_id}/plan/oppgaver/{task_id}/ferdig": Spec(
        "/app/kandidater/{X}/plan/oppgaver/{plan_task_web}/ferdig", as_="web", expect=303),
    "POST /app/kandidater/{candidate_id}/plan/fra-sjekkliste/{item_key}": Spec(
        "/app/kandidater/{X}/plan/fra-sjekkliste/motivation_full_position", as_="web", expect=303),
    "POST /app/kandidater/{candidate_id}/plan/fra-forslag/{suggestion_id}": Spec(
        "/app/kandidater/{X}/plan/fra-forslag/{suggestion_web}", as_="web", expect=303),
    "POST /app/kandidater/{candidate_id}/plan/gjennomgang": Spec(
        "/app/kandidater/{X}/plan/gjennomgang", as_="web", expect=303, data={"held_on": TODAY}),
    "POST /app/kandidater/{candidate_id}/plan/neste-gjennomgang": Spec(
        "/app/kandidater/{X}/plan/neste-gjennomgang", as_="web", expect=303, data={"next_review_on": "01.02.2027"}),
    # API withdrawals last among the decisions (the page's withdrawal needs one of its own)
    "POST /match-decisions/{decision_id}/withdraw": Spec("/match-decisions/{decision}/withdraw"),
    # The job seeker's own pages (X's own login, made by the Caller), then staff's side of them.
    "GET /app/logg-inn/invitasjon": Spec("/app/logg-inn/invitasjon", as_="login_form"),
    "POST /app/logg-inn/invitasjon": Spec("/app/logg-inn/invitasjon", as_="login_form", expect=303, data=lambda c, s: {
        "code": s.ids["invite_code"], "new_password": WALK_PASSWORDS[0], "new_password_again": WALK_PASSWORDS[0]}),
    "GET /app/meg": Spec("/app/meg", as_="web_candidate"),
    "GET /app/meg/plan": Spec("/app/meg/plan", as_="web_candidate"),
    "POST /app/meg/plan/{task_key}": Spec("/app/meg/plan/plan-{plan_task_web}", as_="web_candidate", expect=303,
                                          data={"done": "ja", "comment": "Sendt"}),
    "GET /app/meg/avtaler": Spec("/app/meg/avtaler", as_="web_candidate"),
    "GET /app/meg/avtaler/{key}.ics": Spec("/app/meg/avtaler/intervju-0.ics", as_="web_candidate", expect=404),
    "GET /app/meg/jobber": Spec("/app/meg/jobber", as_="web_candidate"),
    "GET /app/meg/samtykker": Spec("/app/meg/samtykker", as_="web_candidate"),
    "POST /app/meg/samtykker": Spec("/app/meg/samtykker", as_="web_candidate", expect=303,
                                    data=lambda c, s: {"purpose": "share_with_employer",
                                                       "employer_id": str(s.ids["employer_b"])}),
    "POST /app/meg/samtykker/{consent_id}/trekk": Spec("/app/meg/samtykker/{consent}/trekk", as_="web_candidate",
                                                       expect=303),
    "GET /app/meg/data": Spec("/app/meg/data", as_="web_candidate"),
    "GET /app/meg/data/last-ned": Spec("/app/meg/data/last-ned", as_="web_candidate"),
    "GET /app/meg/profil": Spec("/app/meg/profil", as_="web_candidate"),
    "POST /app/meg/profil": Spec("/app/meg/profil", as_="web_candidate", expect=303,
                                 data={"phone": "+47 913 22 222", "email": "walk@example.no", "address": "Gata 2"}),
    "POST /app/meg/profil/onsker": Spec("/app/meg/profil/onsker", as_="web_candidate", expect=303,
                                        data={"sectors": "warehouse", "other": "Truckfører"}),
    "POST /app/meg/sprak": Spec("/app/meg/sprak", as_="web_candidate", expect=303, data={"language": "en"}),
    "POST /app/kandidater/{candidate_id}/onsker/{change_id}": Spec("/app/kandidater/{X}/onsker/2", as_="web",  # 1: the seed's
                                                                    expect=303, data={"decision": "godkjenn"}),
    "POST /app/kandidater/{candidate_id}/tilgang": Spec("/app/kandidater/{Y}/tilgang", as_="web", expect=303),
    "POST /app/kandidater/{candidate_id}/tilgang/stopp": Spec("/app/kandidater/{Y}/tilgang/stopp", as_="web",
                                                              expect=303),
    "POST /candidates/{candidate_id}/erase": Spec("/candidates/{X}/erase"),
}


class Caller:
    """Sends a spec's request as the right person: admin by token, the employer by API key, pages by cookie."""

    def __init__(self, client, engine, world, seeded: Seeded):
        self.client, self.engine, self.seeded = client, engine, seeded
        seeded.ids["headers"] = world.headers
        seeded.ids["project_a"] = world.project_a
        with Session(engine) as session:
            employer_user = session.exec(select(User).where(User.username == "employer")).one()
            employer_web_token, _ = issue_token(session, employer_user, ttl_minutes=60)
            session.commit()
        self.web_tokens = {"web": world.headers["consultant"]["Authorization"].removeprefix("Bearer "),
                           "web_employer": employer_web_token, "web_candidate": self._own_login(world, seeded),
                           "web_admin": world.headers["admin"]["Authorization"].removeprefix("Bearer ")}
        self.headers = {"admin": world.headers["admin"], "employer_key": seeded.ids["key"],
                        "provider": seeded.ids["provider_key"]}

    def _own_login(self, world, seeded: Seeded) -> str:
        """X's own login (a token for their pages), a task of X's left to tick, and an invitation
        code for Y (the walk uses it on the invitation page)."""
        with Session(self.engine) as session:
            user = invitations.login_of(session, seeded.ids["X"])  # made by the seed's invitation; gone after erasure
            token = "bbt_no-login"
            if user is not None:
                user.password_hash, user.active = hash_password(WALK_PASSWORDS[0]), True
                token, _ = issue_token(session, user, ttl_minutes=60)
            set_item_status(session, seeded.ids["X"], "email_attachments", ItemUpdate(status="in_progress"),
                            world.principal("staff_a"))
            *_, seeded.ids["invite_code"] = invitations.invite(
                session, candidate_id=seeded.ids["Y"], first_name="Yolanda", email=None, phone=None,
                link_base="/app/logg-inn/invitasjon", actor=world.principal("staff_a"))
            session.commit()
        return token

    def url(self, spec: Spec) -> str:
        ids = {k: v for k, v in self.seeded.ids.items() if not isinstance(v, dict)}
        return spec.path.format(**ids)

    def send(self, method: str, spec: Spec):
        ids = self.seeded
        resolve = lambda v: v(self.client, ids) if callable(v) else v  # noqa: E731
        kwargs: dict = {"follow_redirects": False}
        if spec.as_ == "login_form":  # before a session: the login form's own double-submit token
            self.client.cookies.clear()
            if method == "POST":
                _ok(self.client.get(PREFIX + "/logg-inn"))
                kwargs["data"] = {**(resolve(spec.data) or {}), "login_csrf": self.client.cookies.get(LOGIN_CSRF_COOKIE)}
        elif spec.as_.startswith("web"):
            token = self.web_tokens[spec.as_]
            self.client.cookies.set(SESSION_COOKIE, token)
            if method == "POST":
                kwargs["data"] = {**(resolve(spec.data) or {}), "csrf_token": csrf_token_for(token)}
        else:
            self.client.cookies.clear()
            kwargs["headers"] = self.headers[spec.as_]
            if spec.json is not None:
                kwargs["json"] = resolve(spec.json)
            if spec.files is not None:
                kwargs["files"] = resolve(spec.files)
        response = self.client.request(method, self.url(spec), **kwargs)
        self.client.cookies.clear()
        if spec.wait_for_run:
            self._wait_for_runs()
        return response

    def _wait_for_runs(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with Session(self.engine) as session:
                runs = session.exec(select(MatchRun).order_by(MatchRun.id)).all()
                if all(r.status in ("done", "failed") for r in runs):
                    self.seeded.ids["latest_run"] = runs[-1].id
                    return
            time.sleep(0.2)
        raise AssertionError("the match run did not finish")


def response_text(response) -> str:
    """What a person sees in a response: JSON and HTML as text, spreadsheets unpacked."""
    body = response.content
    if body[:2] == b"PK":  # XLSX: the text is in the zipped XML
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return body.decode("utf-8", "replace")


def days_ahead(n: int) -> str:
    return (local_today() + timedelta(days=n)).isoformat()


def days_ago(n: int) -> str:
    return (local_today() - timedelta(days=n)).isoformat()

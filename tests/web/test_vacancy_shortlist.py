"""A vacancy's page offers the latest match run's shortlist and proposals for it; one click puts a
candidate on the candidate list, and they leave the offer."""

import re

from sqlmodel import Session, select

from accounts.models import User
from accounts.service import Principal
from api.demo import DEMO_PASSWORD, load_demo_data
from core.types import Role
from matching.models import ShortlistEntry
from matching.service import RunParams, create_run, execute_run
from placement.models import Placement


def test_a_shortlisted_candidate_goes_onto_the_list_in_one_click(engine, client):
    load_demo_data(database_url=engine.url.render_as_string(hide_password=False), per_project=4)
    with Session(engine) as session:
        # The consultant's own run: a consultant sees the runs over their partner's candidates only.
        consultant = session.exec(select(User).where(User.username == "konsulent")).one()
        run = create_run(session, RunParams(time_limit=3), Principal(Role.consultant, consultant.id,
                                                                     consultant.full_name,
                                                                     partner_id=consultant.partner_id))
        session.commit()
        run_id = run.id
    execute_run(engine, run_id)
    with Session(engine) as session:
        on_lists = {(p.candidate_id, p.vacancy_id) for p in session.exec(select(Placement))}
        entry = next(e for e in session.exec(select(ShortlistEntry).where(ShortlistEntry.run_id == run_id))
                     if (e.candidate_id, e.vacancy_id) not in on_lists)
    form = client.get("/app/logg-inn").text
    login_csrf = re.search(r'name="login_csrf" value="([^"]+)"', form).group(1)
    client.post("/app/logg-inn", data={"username": "konsulent", "password": DEMO_PASSWORD, "login_csrf": login_csrf})

    page = client.get(f"/app/stillinger/{entry.vacancy_id}").text
    assert f"Fra siste matchkjøring ({run_id})" in page
    assert f'name="candidate_id" value="{entry.candidate_id}"' in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    added = client.post(f"/app/stillinger/{entry.vacancy_id}/kandidater",
                        data={"csrf_token": csrf, "candidate_id": str(entry.candidate_id)}, follow_redirects=False)
    assert added.status_code == 303
    after = client.get(added.headers["location"]).text
    assert "Kandidaten er satt på kandidatlisten" in after
    assert f'href="/app/kandidater/{entry.candidate_id}">' in after.split('id="legg-til"')[0]  # on the list
    assert f'name="candidate_id" value="{entry.candidate_id}"' not in after  # and no longer offered

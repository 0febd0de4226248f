"""The scheduled work of this package: the hourly feed import and the daily closing of expired vacancies."""

from datetime import timedelta

from sqlmodel import Session

from core.settings import get_settings
from core.types import utcnow
from employers.models import Employer, Vacancy
from jobs import runner
from jobs.models import Job


def test_expired_vacancies_close_in_the_daily_job_and_the_feed_runs_hourly(engine, monkeypatch):
    with Session(engine) as s:
        employer = Employer(organisation_number="974760673", name="A", sector="cleaning", municipality_code="0301")
        s.add(employer)
        s.flush()
        s.add(Vacancy(employer_id=employer.id, title="Utløpt", municipality_code="0301",
                      expires_at=utcnow() - timedelta(hours=1)))
        s.commit()
    sent = []
    expiry = runner.schedule_daily(engine, "vacancy_expiry", sent.append)
    assert runner.run_job(engine, expiry, lease_seconds=5, send=sent.append) == "done"
    monkeypatch.setattr(get_settings(), "nav_feed_url", "")
    feed = runner.schedule_daily(engine, "nav_feed", sent.append, hourly=True)
    assert runner.schedule_daily(engine, "nav_feed", sent.append, hourly=True) is None  # once per hour
    assert runner.run_job(engine, feed, lease_seconds=5, send=sent.append) == "done"
    with Session(engine) as s:
        assert s.get(Job, expiry).result == {"closed": 1}
        assert "BROBYGGER_NAV_FEED_URL" in s.get(Job, feed).result["skipped"]
        assert s.get(Vacancy, 1).status == "closed"

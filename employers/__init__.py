"""Employers: customer register, contact log, diversity barometer, vacancies (issue 3)."""

"""Vacancies in the formats Norway already uses: NAV's import API (stream and batch) and NAV's public job feed."""

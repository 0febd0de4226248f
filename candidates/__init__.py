"""Candidates (deltakere): profile, certificates, experience, wishes, consent."""

"""The formidlingsklar checklist: versioned definitions, evidence per item, scoring, history."""

"""Long work as jobs: match runs, large imports, scheduled retention and reminders."""

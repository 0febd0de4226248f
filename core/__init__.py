"""Shared foundation: settings, database, errors, value types."""

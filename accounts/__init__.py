"""People and integrations that use the system: users with roles, bearer tokens, API keys."""

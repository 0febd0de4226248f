"""Alembic owns the schema. `brobygger migrate` runs `upgrade head`."""

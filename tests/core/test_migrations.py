"""Alembic owns the schema: the migrations build it from empty, and agree with the models."""

from migrations.runner import check


def test_migrations_from_empty_agree_with_models(engine):
    # `engine` is a database built by `alembic upgrade head` from empty (see conftest);
    # `alembic check` fails when a model changed without a migration.
    check(engine.url.render_as_string(hide_password=False))


def test_naming_convention_names_every_constraint(engine):
    from sqlalchemy import inspect

    inspector = inspect(engine)
    fks = inspector.get_foreign_keys("candidate")
    assert fks and all(fk["name"] and fk["name"].startswith("fk_candidate_") for fk in fks)

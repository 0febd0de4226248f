"""Alembic owns the schema: the migrations build it from empty, and agree with the models."""

from migrations.runner import HERE, check


def test_migrations_from_empty_agree_with_models(engine):
    # `engine` is a database built by `alembic upgrade head` from empty (see conftest);
    # `alembic check` fails when a model changed without a migration.
    check(engine.url.render_as_string(hide_password=False))


def test_naming_convention_names_every_constraint(engine):
    from sqlalchemy import inspect

    inspector = inspect(engine)
    fks = inspector.get_foreign_keys("candidate")
    assert fks and all(fk["name"] and fk["name"].startswith("fk_candidate_") for fk in fks)


def test_wrong_occupation_codes_are_migrated_to_styrk08(engine):
    """Revision 7c1e5a9d3b42 moves the three codes the curated list had wrong (9121, 9510, 5230) in
    vacancies, work experience and occupation wishes; other codes and texts are left alone."""
    import importlib.util
    from datetime import date

    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from sqlmodel import Session, select

    from candidates.models import Candidate, JobWish, WorkExperience
    from core.projects import Project
    from employers.models import Employer, Vacancy

    with Session(engine) as s:
        project = Project(name="P", programme="Kvalifiseringsprogrammet", municipality_code="0301")
        employer = Employer(organisation_number="974760673", name="Hotell AS", sector="hotel", municipality_code="0301")
        s.add_all([project, employer])
        s.flush()
        for code in ("9121", "9510", "5230", "4321"):
            s.add(Vacancy(employer_id=employer.id, title=f"Stilling {code}", occupation_code=code,
                          municipality_code="0301", fte=50, contract_type="permanent", start=date(2027, 1, 1)))
        one, two = (Candidate(project_id=project.id, first_name=n, last_name="X", municipality_code="0301")
                    for n in ("En", "To"))
        s.add_all([one, two])
        s.flush()
        s.add(WorkExperience(candidate_id=one.id, employer_name="Vask AS", title="Vaskeri", occupation_code="9121"))
        s.add_all([JobWish(candidate_id=one.id, kind="occupation", value="5230"),
                   JobWish(candidate_id=one.id, kind="occupation", value="kassemedarbeider"),
                   JobWish(candidate_id=two.id, kind="occupation", value="5230"),
                   JobWish(candidate_id=two.id, kind="occupation", value="5223"),  # already wished: one is kept
                   JobWish(candidate_id=two.id, kind="sector", value="retail")])
        s.commit()
        one_id, two_id = one.id, two.id

    path = next((HERE / "versions").glob("*7c1e5a9d3b42*.py"))
    spec = importlib.util.spec_from_file_location("styrk_fix", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        migration.upgrade()

    with Session(engine) as s:
        assert sorted(s.exec(select(Vacancy.occupation_code)).all()) == ["4321", "5223", "8157", "9112"]
        assert s.exec(select(WorkExperience.occupation_code)).all() == ["8157"]
        wishes = sorted((w.candidate_id, w.kind, w.value) for w in s.exec(select(JobWish)))
        assert wishes == [(one_id, "occupation", "5223"), (one_id, "occupation", "kassemedarbeider"),
                          (two_id, "occupation", "5223"), (two_id, "sector", "retail")]

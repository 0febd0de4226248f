"""A database on the first shipped checklist gets the current edition published as a new
version at start-up: the full-time gate reads as the wanted share and the police certificate
becomes a task. Older versions and the evidence recorded under them stay as they were."""

from sqlmodel import Session

from readiness.schemas import ItemUpdate
from readiness.scoring import ItemStatusValue
from readiness.service import (
    _insert_definition,
    active_definition,
    default_definition_in,
    ensure_default_definition,
    first_shipped_definition_in,
    get_definition,
    readiness_of,
    set_item_status,
)


def test_the_current_edition_is_published_over_the_first_shipped_one(engine, world, make_candidate):
    c = make_candidate()
    staff = world.principal("staff_a")
    with Session(engine) as s:
        # `make_candidate` went through the app, which shipped the current edition as version 1;
        # a database from before has the first edition as its latest version.
        _insert_definition(s, first_shipped_definition_in(), None)
        s.commit()
        old = active_definition(s)
        assert old.item("programme_completed").label == "Klar for heltidsarbeid"
        set_item_status(s, c["id"], "programme_completed",
                        ItemUpdate(status=ItemStatusValue.done, evidence_date="2026-11-01", document_ref="Vedtak 1"),
                        staff)
        before = readiness_of(s, c["id"], staff)
        s.commit()

        published = ensure_default_definition(s)
        s.commit()
        assert published.row.version == old.row.version + 1
        assert published.item("programme_completed").label == "Klar for arbeid i ønsket stillingsandel"
        assert published.item("police_certificate").kind == "task"
        assert ensure_default_definition(s).row.version == published.row.version  # once only
        assert get_definition(s, old.row.version).item("programme_completed").label == "Klar for heltidsarbeid"
        after = readiness_of(s, c["id"], staff)
        done = {i.key for i in after.items if i.status == "done"}
        assert "programme_completed" in done  # evidence carried over by key
        # The police certificate is still on the candidate's list, as a task.
        assert before.definition_version == old.row.version and after.definition_version == published.row.version
        police = next(i for i in after.items if i.key == "police_certificate")
        assert police.kind == "task" and "police_certificate" in after.missing["candidate"]


def test_a_definition_an_admin_published_is_never_replaced(engine, world):
    with Session(engine) as s:
        ensure_default_definition(s)
        own = default_definition_in()
        own.title = "Vår egen versjon"
        mine = _insert_definition(s, own, world.users["admin"].id)
        s.commit()
        assert ensure_default_definition(s).row.version == mine.row.version

"""The erasure registry covers every table that can hold something about a candidate, and classifies
every text and JSON column of those tables as erased or kept on purpose. A new table or column that
is neither makes this test fail."""

from sqlalchemy import JSON, Column, ForeignKey, Integer, MetaData, String, Table, Text

from migrations.models import import_models
from privacy.registry import AUDIT_KEEP, HOLDINGS

TEXT_TYPES = (String, Text, JSON)


def linked_tables(metadata: MetaData) -> set[str]:
    """Tables whose rows belong to or concern a candidate: a candidate column or foreign key, a foreign
    key to such a table (placement -> its events), or a pure link table's other side (an entry's
    candidates -> the entry)."""
    linked = {"candidate"}
    changed = True
    while changed:
        changed = False
        for table in metadata.tables.values():
            targets = {fk.column.table.name for fk in table.foreign_keys}
            direct = "candidate_id" in table.columns or targets & linked
            if direct and table.name not in linked:
                linked.add(table.name)
                changed = True
            payload = [c for c in table.columns if not c.primary_key and not c.foreign_keys]
            if table.name in linked and not payload and "candidate" in targets:  # a pure link table
                for other in targets - linked - {"candidate"}:
                    linked.add(other)
                    changed = True
    return linked


def unclassified(metadata: MetaData, holdings=HOLDINGS, audit_keep=AUDIT_KEEP) -> list[str]:
    by_table = {h.model.__tablename__: h for h in holdings}
    problems = []
    for name in sorted(linked_tables(metadata)):
        table = metadata.tables[name]
        if name == "auditentry":
            classified = set(audit_keep)
        elif name in by_table:
            classified = set(by_table[name].erase) | set(by_table[name].keep)
        else:
            problems.append(f"{name}: linked to candidates but not in privacy.registry.HOLDINGS")
            continue
        for column in table.columns:
            if isinstance(column.type, TEXT_TYPES) and column.name not in classified:
                problems.append(f"{name}.{column.name}: text column neither erased nor kept on purpose")
    return problems


def test_every_text_column_about_a_candidate_is_erased_or_kept_on_purpose():
    metadata = import_models()
    assert unclassified(metadata) == []
    linked = linked_tables(metadata)
    assert {"contactlogentry", "placementevent", "employmentfollowup", "presentation", "matchdecision"} <= linked
    assert not linked & {"employer", "vacancy", "matchrun", "user", "project"}  # their own registers


def test_every_registered_column_exists():
    metadata = import_models()
    for holding in HOLDINGS:
        columns = metadata.tables[holding.model.__tablename__].columns
        assert set(holding.erase) | set(holding.keep) <= set(columns.keys()), holding.model.__tablename__


def test_a_new_table_or_column_that_is_not_classified_fails():
    metadata = import_models()
    extra = MetaData()
    for table in metadata.tables.values():
        table.to_metadata(extra)
    Table("interviewnote", extra, Column("id", Integer, primary_key=True),
          Column("candidate_id", Integer, ForeignKey("candidate.id")), Column("text", Text))
    extra.tables["presentation"].append_column(Column("employer_feedback", String(2000)))
    extra.tables["employmentfollowup"].append_column(Column("extra", JSON))
    assert unclassified(extra) == [
        "employmentfollowup.extra: text column neither erased nor kept on purpose",
        "interviewnote: linked to candidates but not in privacy.registry.HOLDINGS",
        "presentation.employer_feedback: text column neither erased nor kept on purpose",
    ]


def figures() -> tuple[int, int, int]:
    """Tables in the registry, text columns erased, text columns kept on purpose (for the report)."""
    erased = sum(len(h.erase) for h in HOLDINGS)
    kept = sum(len(h.keep) for h in HOLDINGS) + len(AUDIT_KEEP)
    return len(HOLDINGS) + 1, erased, kept

"""STYRK-08: stored occupation codes that were wrong are moved to the right unit group

The curated list used three codes that STYRK-08 does not have with that meaning: 9121 (ISCO-only,
"vaskeriarbeider") -> 8157 Renseri- og vaskerimaskinoperatører; 9510 (in STYRK-08 "Reklamedistributører
mv.", used for "hotellmedarbeider", i.e. housekeeping) -> 9112 Renholdere i virksomheter; 5230 (in
STYRK-08 "Billettselgere", used for "kassemedarbeider") -> 5223 Butikkmedarbeidere.
Until this revision only the curated codes could be stored, so every stored 9121, 9510 and 5230 meant
the old curated occupation. Vacancies, work experience and occupation wishes given as a code are moved.

Revision ID: 7c1e5a9d3b42
Revises: 77de69fe86a3
Create Date: 2026-12-02 05:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString


revision: str = '7c1e5a9d3b42'
down_revision: Union[str, None] = '77de69fe86a3'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

WRONG_CODES = {"9121": "8157", "9510": "9112", "5230": "5223"}


def upgrade() -> None:
    for old, new in WRONG_CODES.items():
        params = {"old": old, "new": new}
        op.execute(sa.text("UPDATE vacancy SET occupation_code = :new WHERE occupation_code = :old").bindparams(**params))
        op.execute(sa.text("UPDATE workexperience SET occupation_code = :new WHERE occupation_code = :old")
                   .bindparams(**params))
        # A candidate who already wished for the right code keeps that one wish (candidate, kind, value is unique).
        op.execute(sa.text(
            "DELETE FROM jobwish WHERE kind = 'occupation' AND value = :old AND candidate_id IN "
            "(SELECT candidate_id FROM jobwish WHERE kind = 'occupation' AND value = :new)").bindparams(**params))
        op.execute(sa.text("UPDATE jobwish SET value = :new WHERE kind = 'occupation' AND value = :old")
                   .bindparams(**params))


def downgrade() -> None:
    # One-way: after the move a stored 8157, 9112 or 5223 cannot tell whether it was wrong before.
    pass

"""candidate references (referanser)

Who can vouch for a candidate: name, relation, phone or e-mail, when and by whom the reference was
checked, and a note. Erased with the candidate (privacy/registry.py).

Revision ID: 5e3a9c1f7b20
Revises: 142d411c76c6
Create Date: 2026-12-02 08:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString


revision: str = '5e3a9c1f7b20'
down_revision: Union[str, None] = '142d411c76c6'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('candidatereference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('relation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('checked_on', sa.Date(), nullable=True),
    sa.Column('checked_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_candidatereference_candidate_id_candidate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidatereference'))
    )
    with op.batch_alter_table('candidatereference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidatereference_candidate_id'), ['candidate_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('candidatereference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidatereference_candidate_id'))
    op.drop_table('candidatereference')

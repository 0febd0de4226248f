"""the employer's assessment after work practice or a trial period (Min side)

Revision ID: b7d3e9f1a2c4
Revises: 5e1f0a7c2b93
Create Date: 2026-12-02 09:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString


revision: str = 'b7d3e9f1a2c4'
down_revision: Union[str, None] = '5e1f0a7c2b93'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('employerassessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('punctuality', sa.Integer(), nullable=False),
    sa.Column('cooperation', sa.Integer(), nullable=False),
    sa.Column('work_quality', sa.Integer(), nullable=False),
    sa.Column('would_hire', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('given_by', sa.Integer(), nullable=True),
    sa.Column('given_by_name', sa.Text(), nullable=False),
    sa.Column('given_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_employerassessment_candidate_id_candidate')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_employerassessment_employer_id_employer')),
    sa.ForeignKeyConstraint(['given_by'], ['user.id'], name=op.f('fk_employerassessment_given_by_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employerassessment'))
    )
    with op.batch_alter_table('employerassessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employerassessment_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employerassessment_employer_id'), ['employer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('employerassessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employerassessment_employer_id'))
        batch_op.drop_index(batch_op.f('ix_employerassessment_candidate_id'))
    op.drop_table('employerassessment')

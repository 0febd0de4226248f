"""match runs: coverage and score objective, bound and gap (lexicographic); the inputs a run saw

Revision ID: 7b1e5c2d9a41
Revises: 3c6fc42b8d7e
Create Date: 2026-12-02 05:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString


revision: str = '7b1e5c2d9a41'
down_revision: Union[str, None] = '3c6fc42b8d7e'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('matchrun', schema=None) as batch_op:
        batch_op.add_column(sa.Column('coverage_objective', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('coverage_bound', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('coverage_gap', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('quality_objective', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('quality_bound', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('quality_gap', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('inputs', sa.JSON(), nullable=False, server_default='{}'))
    # The old single objective added coverage and score: it is neither level, so it is not carried over.
    with op.batch_alter_table('matchrun', schema=None) as batch_op:
        batch_op.alter_column('inputs', server_default=None)
        batch_op.drop_column('objective')
        batch_op.drop_column('bound')
        batch_op.drop_column('gap')


def downgrade() -> None:
    with op.batch_alter_table('matchrun', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gap', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('bound', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('objective', sa.Integer(), nullable=True))
        batch_op.drop_column('inputs')
        batch_op.drop_column('quality_gap')
        batch_op.drop_column('quality_bound')
        batch_op.drop_column('quality_objective')
        batch_op.drop_column('coverage_gap')
        batch_op.drop_column('coverage_bound')
        batch_op.drop_column('coverage_objective')

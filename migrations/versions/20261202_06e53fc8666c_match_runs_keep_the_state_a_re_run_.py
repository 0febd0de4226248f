"""match runs keep the state a re-run starts from (warm start): one compressed archive per run,
the newest per scope only (LargeBinary: BLOB on SQLite, bytea on PostgreSQL)

Revision ID: 06e53fc8666c
Revises: b7d3e9f1a2c4
Create Date: 2026-12-02 17:44:26

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString


revision: str = '06e53fc8666c'
down_revision: Union[str, None] = 'b7d3e9f1a2c4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('matchwarmstart',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['matchrun.id'], name=op.f('fk_matchwarmstart_run_id_matchrun')),
    sa.PrimaryKeyConstraint('run_id', name=op.f('pk_matchwarmstart'))
    )


def downgrade() -> None:
    op.drop_table('matchwarmstart')

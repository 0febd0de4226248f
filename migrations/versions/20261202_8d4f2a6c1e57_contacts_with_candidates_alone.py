"""contact log: contacts with candidates alone, follow-up notes

A contact with a candidate alone (a call, an SMS, a meeting) has no employer, so the contact log's
employer becomes optional; a follow-up done from the dashboard keeps a note of what came of it.

Revision ID: 8d4f2a6c1e57
Revises: d692e683d9f3
Create Date: 2026-12-02 08:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString


revision: str = '8d4f2a6c1e57'
down_revision: Union[str, None] = 'd692e683d9f3'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('contactlogentry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_up_note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True))
        batch_op.alter_column('employer_id', existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM contactlogcandidate WHERE contact_id IN "
               "(SELECT id FROM contactlogentry WHERE employer_id IS NULL)")
    op.execute("DELETE FROM contactlogentry WHERE employer_id IS NULL")
    with op.batch_alter_table('contactlogentry', schema=None) as batch_op:
        batch_op.alter_column('employer_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('follow_up_note')

"""export files on jobs

A large export is made by a worker; its file is kept on the job for download (24 hours, or until a
candidate is erased), with the candidates in it for the audit log of each download.

Revision ID: e5a81c0d2f17
Revises: 491a737bded6
Create Date: 2026-12-02 08:55:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = 'e5a81c0d2f17'
down_revision: Union[str, None] = '491a737bded6'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('job') as batch:
        batch.add_column(sa.Column('output', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('output_candidates', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('job') as batch:
        batch.drop_column('output_candidates')
        batch.drop_column('output')

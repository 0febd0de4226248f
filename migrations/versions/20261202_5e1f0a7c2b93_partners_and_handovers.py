"""recruitment partners, consultants' partner, handovers (tildeling), consent per partner

Consultants belong to a recruitment partner organisation and see only candidates handed over to it
while the handover stands. At most one handover of a candidate stands at a time (partial unique
index). A share_with_recruiter consent names its partner.

Revision ID: 5e1f0a7c2b93
Revises: a86641439d62
Create Date: 2026-12-02 08:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString


revision: str = '5e1f0a7c2b93'
down_revision: Union[str, None] = 'a86641439d62'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('organisation_number', sqlmodel.sql.sqltypes.AutoString(length=9), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner'))
    )
    op.create_table('handover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('started_by', sa.Integer(), nullable=True),
    sa.Column('taken_back_in', sa.Boolean(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('ended_by', sa.Integer(), nullable=True),
    sa.Column('end_reason', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
    sa.Column('end_note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_handover_candidate_id_candidate')),
    sa.ForeignKeyConstraint(['ended_by'], ['user.id'], name=op.f('fk_handover_ended_by_user')),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_handover_partner_id_partner')),
    sa.ForeignKeyConstraint(['started_by'], ['user.id'], name=op.f('fk_handover_started_by_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover'))
    )
    with op.batch_alter_table('handover', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handover_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handover_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index('uq_handover_one_standing', ['candidate_id'], unique=True,
                              sqlite_where=sa.text('ended_on IS NULL'), postgresql_where=sa.text('ended_on IS NULL'))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_partner_id'), ['partner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_partner_id_partner'), 'partner', ['partner_id'], ['id'])

    with op.batch_alter_table('consentrecord', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_consentrecord_partner_id'), ['partner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_consentrecord_partner_id_partner'), 'partner', ['partner_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('consentrecord', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consentrecord_partner_id_partner'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_consentrecord_partner_id'))
        batch_op.drop_column('partner_id')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_partner_id_partner'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_partner_id'))
        batch_op.drop_column('partner_id')

    with op.batch_alter_table('handover', schema=None) as batch_op:
        batch_op.drop_index('uq_handover_one_standing', sqlite_where=sa.text('ended_on IS NULL'),
                            postgresql_where=sa.text('ended_on IS NULL'))
        batch_op.drop_index(batch_op.f('ix_handover_partner_id'))
        batch_op.drop_index(batch_op.f('ix_handover_candidate_id'))

    op.drop_table('handover')
    op.drop_table('partner')

"""selfservice: the job seeker's own login (role candidate), invitations, the outbox, own task
ticks and wish changes waiting for review; the language a user chose

Revision ID: 5e1f0c7a9b21
Revises: c4e7a1b9d2f3
Create Date: 2026-12-02 08:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString


revision: str = '5e1f0c7a9b21'
down_revision: Union[str, None] = 'c4e7a1b9d2f3'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False,
                                      server_default='nb'))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('language', server_default=None)

    op.create_table('candidatelogin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_candidatelogin_candidate_id_candidate')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_candidatelogin_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidatelogin'))
    )
    with op.batch_alter_table('candidatelogin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidatelogin_candidate_id'), ['candidate_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_candidatelogin_user_id'), ['user_id'], unique=True)

    op.create_table('candidateinvitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_candidateinvitation_candidate_id_candidate')),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_candidateinvitation_created_by_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_candidateinvitation_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidateinvitation'))
    )
    with op.batch_alter_table('candidateinvitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidateinvitation_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidateinvitation_code_hash'), ['code_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_candidateinvitation_user_id'), ['user_id'], unique=False)

    op.create_table('outboxmessage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=True),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_outboxmessage_candidate_id_candidate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outboxmessage'))
    )
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outboxmessage_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('owntasktick',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('task_key', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_owntasktick_candidate_id_candidate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_owntasktick')),
    sa.UniqueConstraint('candidate_id', 'task_key', name=op.f('uq_owntasktick_candidate_id_task_key'))
    )
    with op.batch_alter_table('owntasktick', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_owntasktick_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('wishchange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('other', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('requested_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], name=op.f('fk_wishchange_candidate_id_candidate')),
    sa.ForeignKeyConstraint(['reviewed_by'], ['user.id'], name=op.f('fk_wishchange_reviewed_by_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wishchange'))
    )
    with op.batch_alter_table('wishchange', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wishchange_candidate_id'), ['candidate_id'], unique=False)


def downgrade() -> None:
    for table in ('wishchange', 'owntasktick', 'outboxmessage', 'candidateinvitation', 'candidatelogin'):
        op.drop_table(table)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('language')

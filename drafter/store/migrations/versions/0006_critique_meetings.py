"""critique meetings: participants, nominations, critiques, notes on the text, pairwise judgements

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('critique_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('chair_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=16), nullable=False),
    sa.Column('rubric', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('comparative', sa.Boolean(), nullable=False),
    sa.Column('pairing', sa.String(length=16), nullable=False),
    sa.Column('target_judgements', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['chair_id'], ['users.id'], name=op.f('fk_critique_meetings_chair_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_critique_meetings'))
    )
    with op.batch_alter_table('critique_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_critique_meetings_chair_id'), ['chair_id'], unique=False)

    op.create_table('critique_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['critique_meetings.id'], name=op.f('fk_critique_participants_meeting_id_critique_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_critique_participants_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_critique_participants')),
    sa.UniqueConstraint('meeting_id', 'user_id', name='uq_critique_participants_meeting_user')
    )
    with op.batch_alter_table('critique_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_critique_participants_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_critique_participants_user_id'), ['user_id'], unique=False)

    op.create_table('critique_nominations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('self_assessment', sa.Text(), nullable=False),
    sa.Column('self_scores', sa.JSON(), nullable=False),
    sa.Column('exemplar', sa.Boolean(), nullable=False),
    sa.Column('exemplar_document_id', sa.Integer(), nullable=True),
    sa.Column('exemplar_action', sa.String(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_critique_nominations_author_id_users')),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_critique_nominations_draft_id_drafts')),
    sa.ForeignKeyConstraint(['exemplar_document_id'], ['documents.id'], name=op.f('fk_critique_nominations_exemplar_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['critique_meetings.id'], name=op.f('fk_critique_nominations_meeting_id_critique_meetings')),
    sa.ForeignKeyConstraint(['version_id'], ['draft_versions.id'], name=op.f('fk_critique_nominations_version_id_draft_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_critique_nominations')),
    sa.UniqueConstraint('meeting_id', 'author_id', 'kind', name='uq_critique_nominations_author_kind')
    )
    with op.batch_alter_table('critique_nominations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_critique_nominations_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_critique_nominations_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('critique_judgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('low_id', sa.Integer(), nullable=False),
    sa.Column('high_id', sa.Integer(), nullable=False),
    sa.Column('winner_id', sa.Integer(), nullable=True),
    sa.Column('left_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['high_id'], ['critique_nominations.id'], name=op.f('fk_critique_judgements_high_id_critique_nominations')),
    sa.ForeignKeyConstraint(['judge_id'], ['users.id'], name=op.f('fk_critique_judgements_judge_id_users')),
    sa.ForeignKeyConstraint(['low_id'], ['critique_nominations.id'], name=op.f('fk_critique_judgements_low_id_critique_nominations')),
    sa.ForeignKeyConstraint(['meeting_id'], ['critique_meetings.id'], name=op.f('fk_critique_judgements_meeting_id_critique_meetings')),
    sa.ForeignKeyConstraint(['winner_id'], ['critique_nominations.id'], name=op.f('fk_critique_judgements_winner_id_critique_nominations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_critique_judgements')),
    sa.UniqueConstraint('judge_id', 'low_id', 'high_id', name='uq_critique_judgements_judge_pair')
    )
    with op.batch_alter_table('critique_judgements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_critique_judgements_judge_id'), ['judge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_critique_judgements_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('critique_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('replacement', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_critique_notes_author_id_users')),
    sa.ForeignKeyConstraint(['nomination_id'], ['critique_nominations.id'], name=op.f('fk_critique_notes_nomination_id_critique_nominations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_critique_notes'))
    )
    with op.batch_alter_table('critique_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_critique_notes_nomination_id'), ['nomination_id'], unique=False)

    op.create_table('critiques',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('critic_id', sa.Integer(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('strengths', sa.Text(), nullable=False),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('suggestion', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['critic_id'], ['users.id'], name=op.f('fk_critiques_critic_id_users')),
    sa.ForeignKeyConstraint(['nomination_id'], ['critique_nominations.id'], name=op.f('fk_critiques_nomination_id_critique_nominations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_critiques')),
    sa.UniqueConstraint('nomination_id', 'critic_id', name='uq_critiques_nomination_critic')
    )
    with op.batch_alter_table('critiques', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_critiques_critic_id'), ['critic_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_critiques_nomination_id'), ['nomination_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('critiques', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_critiques_nomination_id'))
        batch_op.drop_index(batch_op.f('ix_critiques_critic_id'))

    op.drop_table('critiques')
    with op.batch_alter_table('critique_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_critique_notes_nomination_id'))

    op.drop_table('critique_notes')
    with op.batch_alter_table('critique_judgements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_critique_judgements_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_critique_judgements_judge_id'))

    op.drop_table('critique_judgements')
    with op.batch_alter_table('critique_nominations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_critique_nominations_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_critique_nominations_author_id'))

    op.drop_table('critique_nominations')
    with op.batch_alter_table('critique_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_critique_participants_user_id'))
        batch_op.drop_index(batch_op.f('ix_critique_participants_meeting_id'))

    op.drop_table('critique_participants')
    with op.batch_alter_table('critique_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_critique_meetings_chair_id'))

    op.drop_table('critique_meetings')

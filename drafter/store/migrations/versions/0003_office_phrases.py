"""office stock phrases learned from the archive

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('office_phrase_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.Column('max_document_id', sa.Integer(), nullable=False),
    sa.Column('phrases', sa.Integer(), nullable=False),
    sa.Column('min_share', sa.Float(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_phrase_runs'))
    )
    op.create_table('office_phrases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phrase', sa.String(length=64), nullable=False),
    sa.Column('words', sa.String(length=200), nullable=False),
    sa.Column('doc_count', sa.Integer(), nullable=False),
    sa.Column('share', sa.Float(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_phrases')),
    sa.UniqueConstraint('phrase', name=op.f('uq_office_phrases_phrase'))
    )
    with op.batch_alter_table('office_phrases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_phrases_rank'), ['rank'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('office_phrases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_phrases_rank'))

    op.drop_table('office_phrases')
    op.drop_table('office_phrase_runs')

"""search indexes: sentences, keyword index (SQLite FTS5 / PostgreSQL tsvector), sentence vectors

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('search_sentences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('paragraph_index', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_search_sentences_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_sentences'))
    )
    with op.batch_alter_table('search_sentences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_sentences_document_id'), ['document_id'], unique=False)

    op.create_table('search_vectors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sentence_id', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=64), nullable=False),
    sa.Column('scale', sa.Float(), nullable=False),
    sa.Column('codes', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['sentence_id'], ['search_sentences.id'], name=op.f('fk_search_vectors_sentence_id_search_sentences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_vectors')),
    sa.UniqueConstraint('sentence_id', name=op.f('uq_search_vectors_sentence_id'))
    )
    with op.batch_alter_table('search_vectors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_vectors_model'), ['model'], unique=False)

    if op.get_bind().dialect.name == 'sqlite':
        # --- SQLite: FTS5 over jieba words and character bigrams; rowid = search_sentences.id
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(words, grams, "
                   "tokenize = 'unicode61 remove_diacritics 0')")
    else:
        # --- PostgreSQL: one tsvector per sentence (words weight A, bigrams weight B), GIN-indexed
        op.execute("CREATE TABLE search_terms (sentence_id INTEGER PRIMARY KEY "
                   "REFERENCES search_sentences(id) ON DELETE CASCADE, tsv TSVECTOR NOT NULL)")
        op.execute("CREATE INDEX ix_search_terms_tsv ON search_terms USING GIN (tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("DROP TABLE IF EXISTS search_fts")
    else:
        op.execute("DROP TABLE IF EXISTS search_terms")
    with op.batch_alter_table('search_vectors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_vectors_model'))
    op.drop_table('search_vectors')
    with op.batch_alter_table('search_sentences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_sentences_document_id'))

    op.drop_table('search_sentences')

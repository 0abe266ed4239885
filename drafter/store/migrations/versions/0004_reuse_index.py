"""reuse index: fingerprints, archive frequencies, indexed documents

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # sqlite_with_rowid=False is SQLite-specific (a WITHOUT ROWID table); PostgreSQL ignores it.
    op.create_table('reuse_fingerprints',
    sa.Column('hash', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('document_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('hash', 'document_id', name=op.f('pk_reuse_fingerprints')),
    sqlite_with_rowid=False
    )
    op.create_table('reuse_frequencies',
    sa.Column('hash', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('hash', name=op.f('pk_reuse_frequencies')),
    sqlite_with_rowid=False
    )
    op.create_table('reuse_documents',
    sa.Column('document_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('scheme', sa.Integer(), nullable=False),
    sa.Column('fingerprints', sa.Integer(), nullable=False),
    sa.Column('counted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_reuse_documents_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_reuse_documents'))
    )


def downgrade() -> None:
    op.drop_table('reuse_documents')
    op.drop_table('reuse_frequencies')
    op.drop_table('reuse_fingerprints')

"""analytics: version summaries, rule counts, archive analytics runs; versions indexed by when they were saved

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('draft_versions', schema=None) as batch_op:
        batch_op.create_index('ix_draft_versions_created_at', ['created_at'], unique=False)

    op.create_table('analytics_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.Column('max_document_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seconds', sa.Float(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analytics_runs'))
    )
    with op.batch_alter_table('analytics_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_analytics_runs_status'), ['status'], unique=False)

    op.create_table('version_summaries',
    sa.Column('version_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('chars', sa.Integer(), nullable=False),
    sa.Column('findings', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('warnings', sa.Integer(), nullable=False),
    sa.Column('infos', sa.Integer(), nullable=False),
    sa.Column('formulaic_density', sa.Float(), nullable=True),
    sa.Column('concreteness', sa.Float(), nullable=True),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_version_summaries_draft_id_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['draft_versions.id'], name=op.f('fk_version_summaries_version_id_draft_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', name=op.f('pk_version_summaries'))
    )
    with op.batch_alter_table('version_summaries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_version_summaries_draft_id'), ['draft_id'], unique=False)

    op.create_table('version_rule_counts',
    sa.Column('version_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('rule', sa.String(length=120), nullable=False),
    sa.Column('family', sa.String(length=32), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('example', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['version_summaries.version_id'], name=op.f('fk_version_rule_counts_version_id_version_summaries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', 'rule', name=op.f('pk_version_rule_counts'))
    )
    with op.batch_alter_table('version_rule_counts', schema=None) as batch_op:
        batch_op.create_index('ix_version_rule_counts_family', ['family'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('draft_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_draft_versions_created_at')

    with op.batch_alter_table('version_rule_counts', schema=None) as batch_op:
        batch_op.drop_index('ix_version_rule_counts_family')

    op.drop_table('version_rule_counts')
    with op.batch_alter_table('version_summaries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_version_summaries_draft_id'))

    op.drop_table('version_summaries')
    with op.batch_alter_table('analytics_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_analytics_runs_status'))

    op.drop_table('analytics_runs')

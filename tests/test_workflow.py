"""Tests for drafter.store.workflow (models, enums) and its migration."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from drafter.store.db import alembic_config
from drafter.store.dialect import include_object
from drafter.store.models import Base
from drafter.store.workflow import AnnotationCategory, ReviewState, Verdict

TABLES = {"drafts", "draft_versions", "pairs", "signoff_steps", "review_tasks", "annotations",
          "annotation_replies", "audit_log", "login_attempts"}


def test_enums_have_chinese_labels():
    assert [s.label for s in ReviewState] == ["撰写中", "待指导老师审阅", "签批中", "退回修改", "已通过"]
    assert [c.label for c in AnnotationCategory] == ["观点", "结构", "措辞/套话", "错别字", "格式", "数据"]
    assert Verdict.RETURN.label == "退回修改"
    assert {s for s in ReviewState if s.editable} == {ReviewState.DRAFTING, ReviewState.RETURNED}
    assert {s for s in ReviewState if s.in_review} == {ReviewState.MENTOR_REVIEW, ReviewState.SIGNOFF}


def test_migration_matches_the_models(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                              "include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_migration_downgrades_and_upgrades_again(db):
    config = alembic_config(db)
    command.downgrade(config, "0001")
    assert not TABLES & set(inspect(db.engine).get_table_names())
    command.upgrade(config, "head")
    assert TABLES <= set(inspect(db.engine).get_table_names())

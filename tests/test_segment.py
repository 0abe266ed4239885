"""Tests for drafter.analysis.segment: lazy jieba, silent, cache only where it may write."""

import os
import subprocess
import sys

from drafter.analysis.segment import cut, word_spans, word_tags

SCRIPT = "from drafter.analysis.segment import cut; print('|'.join(cut('各单位要主动靠前服务')))"


def test_cut_and_spans_cover_the_text():
    text = "各单位要切实加强组织领导。"
    words = cut(text)
    assert "".join(words) == text and "组织" in words
    spans = word_spans(text, start=10)
    assert spans[0][0] == 10 and spans[-1][1] == 10 + len(text)
    assert cut("") == []
    assert word_tags()["推进"] == "v"


def run(env_extra):
    env = dict(os.environ, **env_extra)
    return subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True)


def test_first_use_is_silent_and_caches_in_the_given_folder(tmp_path):
    cache = tmp_path / "cache"
    result = run({"DRAFTER_CACHE_DIR": str(cache)})
    assert result.stderr == "" and "各" in result.stdout
    assert (cache / "jieba.cache").is_file()
    again = run({"DRAFTER_CACHE_DIR": str(cache)})
    assert again.stderr == "" and again.stdout == result.stdout


def test_unwritable_cache_folder_writes_nothing(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run({"DRAFTER_CACHE_DIR": str(blocker / "cache")})
    assert result.stderr == "" and result.stdout.strip()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_cli_start_does_not_import_jieba():
    code = "import sys, drafter.cli; print('jieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"

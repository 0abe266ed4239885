"""Tests for drafter.analysis.segment: the same words as jieba, quiet, lazy."""

import logging
import subprocess
import sys

import jieba
import pytest

from drafter.analysis.segment import cut, cut_for_search, word_spans, word_tags

SENTENCES = [
    "各单位要切实加强组织领导，研究部署下一阶段重点工作。",
    "江澜市委办公室召开文稿点评交流会，全年起草各类文稿120篇。",
    "深入推进“放管服”改革，优化营商环境。",
]


def test_cut_and_spans_cover_the_text():
    text = "各单位要切实加强组织领导。"
    words = cut(text)
    assert "".join(words) == text and "组织" in words
    spans = word_spans(text, start=10)
    assert spans[0][0] == 10 and spans[-1][1] == 10 + len(text)
    assert cut("") == [] and cut_for_search("") == []
    assert word_tags()["推进"] == "v"


@pytest.mark.parametrize("text", SENTENCES)
def test_same_words_as_jieba_without_hmm(text):
    jieba.setLogLevel(logging.WARNING)
    assert cut(text) == jieba.lcut(text, HMM=False)
    assert cut_for_search(text) == list(jieba.cut_for_search(text, HMM=False))


def test_search_mode_adds_words_inside_long_words():
    assert {"研究", "部署", "研究部署"} <= set(cut_for_search("研究部署"))


def test_first_use_is_silent():
    script = "from drafter.analysis.segment import cut; print('|'.join(cut('各单位要主动靠前服务')))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stderr == "" and "各" in result.stdout


def test_cli_start_does_not_import_a_segmenter():
    code = "import sys, drafter.cli; print('jieba' in sys.modules or 'rjieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"

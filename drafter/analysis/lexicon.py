"""The stock-phrase lexicon (套话词表): YAML rule files, validated when they load.

A lexicon file holds one category of stock phrases::

    category: stance                 # key of the category
    label: 空泛表态                   # its Chinese name, used in messages
    level: info                      # default level of its entries: error | warning | info | off
    message: "“{match}”属{label}：{explain}"   # default message; {match} is the matched text
    entries:
      - id: formulaic.stock-phrase.gaodu-zhongshi
        phrases: [高度重视, 十分重视]          # literal phrases (plain substrings)
        frames: [加大…力度]                    # optional: head…tail with a short gap inside one clause
        clause_end: false                     # optional: phrases count only at the end of a clause
        explain: 只表明态度，看不出重视落在哪里。
        hint: 写出重视的具体表现：谁牵头、开了什么会、定了哪些措施、投入多少人和钱。
        examples:
          bad: [各单位要高度重视安全生产工作。]        # each must be flagged by this entry
          good: [各单位主要负责人每月带队检查一次安全生产。]  # none may be flagged by this entry

User files (``corpora/rules/*.yaml``) use the same format. An entry whose ``id`` is already known replaces
the fields it gives (``level: off`` switches it off; ``phrases`` replaces the list); a new ``id`` adds an
entry; a top-level ``disable: [id, …]`` switches entries off. Every file is checked when it loads: ids,
levels, phrases, and every example against its own entry, so a bad entry fails at once with a Chinese
message naming the file and the entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import yaml

from drafter.analysis.findings import Severity

#: Every lexicon entry id lives under this prefix, so ``--disable formulaic.stock-phrase`` switches all off.
ID_PREFIX = "formulaic.stock-phrase."
OFF = "off"
LEVELS = ("error", "warning", "info", OFF)
_ID = re.compile(r"^formulaic\.stock-phrase\.[a-z0-9]+(?:-[a-z0-9]+)*$")
_CLAUSE_PUNCT = "，。；：！？、,;:!?\n（）()“”《》"
#: Longest gap (characters) between the head and the tail of a frame such as 加大…力度.
FRAME_GAP = 14
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ENTRY_KEYS = {"id", "phrases", "frames", "clause_end", "explain", "hint", "examples", "level", "message"}
_FILE_KEYS = {"category", "label", "level", "message", "entries", "disable"}


class LexiconError(ValueError):
    """A lexicon file is malformed; the message is Chinese and names the file and the entry."""


@dataclass(frozen=True)
class Frame:
    """A discontinuous phrase: ``head``, at most ``FRAME_GAP`` characters of one clause, then ``tail``."""

    head: str
    tail: str

    def __str__(self) -> str:
        return f"{self.head}…{self.tail}"


@dataclass(frozen=True)
class Entry:
    """One rule of the lexicon: phrases and frames sharing an explanation and a rewrite hint."""

    id: str
    category: str
    label: str
    level: str
    phrases: tuple[str, ...]
    frames: tuple[Frame, ...]
    explain: str
    hint: str
    message: str
    clause_end: bool = False
    bad: tuple[str, ...] = ()
    good: tuple[str, ...] = ()
    source: str = ""

    @property
    def enabled(self) -> bool:
        """Whether the entry is switched on."""
        return self.level != OFF

    @property
    def severity(self) -> Severity:
        """The severity of this entry's findings (only for enabled entries)."""
        return Severity(self.level)

    def render_message(self, match: str) -> str:
        """The finding message for ``match``."""
        return self.message.format(match=match, label=self.label, explain=self.explain)


@dataclass(frozen=True)
class Lexicon:
    """All entries, by id, in load order."""

    entries: tuple[Entry, ...] = ()
    sources: tuple[str, ...] = field(default=())

    def get(self, entry_id: str) -> Entry | None:
        """The entry with ``entry_id``, or None."""
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        return None

    @property
    def enabled(self) -> tuple[Entry, ...]:
        """Entries that are switched on."""
        return tuple(e for e in self.entries if e.enabled)

    def phrase_count(self) -> int:
        """Number of literal phrases and frames over all entries."""
        return sum(len(e.phrases) + len(e.frames) for e in self.entries)

    def without(self, disabled: Iterable[str]) -> Lexicon:
        """A copy with the entries whose id (or id prefix) is in ``disabled`` switched off."""
        off = {d.strip() for d in disabled if d.strip()}
        if not off:
            return self
        entries = tuple(replace(e, level=OFF) if _covered(e.id, off) else e for e in self.entries)
        return Lexicon(entries, self.sources)

    def merged(self, documents: Iterable[tuple[str, Mapping[str, Any]]], overrides: bool = True) -> Lexicon:
        """This lexicon extended and overridden by files ``(name, parsed YAML)``, validated.

        With ``overrides=False`` (the built-in files) an id that is already known is an error.
        """
        entries = {e.id: e for e in self.entries}
        order = [e.id for e in self.entries]
        sources = list(self.sources)
        for name, data in documents:
            for entry in _parse_file(name, data, known=entries if overrides else {}):
                if entry.id in entries and not overrides:
                    raise LexiconError(f"{name}（{entry.id}）：编号与 {entries[entry.id].source} 中的词条重复")
                if entry.id not in entries:
                    order.append(entry.id)
                entries[entry.id] = entry
            for entry_id in _disable_list(name, data):
                if entry_id not in entries:
                    raise LexiconError(f"{name}：disable 中的“{entry_id}”不是已知的词条编号")
                entries[entry_id] = replace(entries[entry_id], level=OFF)
            sources.append(name)
        lexicon = Lexicon(tuple(entries[i] for i in order), tuple(sources))
        _check_unique_phrases(lexicon.entries)
        return lexicon


def _covered(entry_id: str, prefixes: set[str]) -> bool:
    parts = entry_id.split(".")
    return any(".".join(parts[:i]) in prefixes for i in range(1, len(parts) + 1))


def _require_text(value: Any, where: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LexiconError(f"{where}：缺少{what}或{what}不是文字")
    return value.strip()


def _string_list(value: Any, where: str, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LexiconError(f"{where}：{what}必须是文字列表")
    return tuple(v.strip() for v in value)


def _parse_frame(text: str, where: str) -> Frame:
    parts = text.split("…")
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise LexiconError(f"{where}：框架“{text}”必须是“前半…后半”的形式（一个省略号“…”）")
    return Frame(parts[0], parts[1])


def _parse_file(name: str, data: Mapping[str, Any], known: Mapping[str, Entry]) -> list[Entry]:
    if not isinstance(data, Mapping):
        raise LexiconError(f"{name}：文件内容必须是一个映射（category、label、entries …）")
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise LexiconError(f"{name}：不认识的字段 {', '.join(sorted(map(str, unknown)))}")
    raw_entries = data.get("entries") or []
    if not isinstance(raw_entries, list):
        raise LexiconError(f"{name}：entries 必须是列表")
    category = str(data.get("category") or "custom")
    label = str(data.get("label") or "套话")
    level = str(data.get("level") or "info")
    message = str(data.get("message") or "“{match}”属{label}：{explain}")
    if level not in LEVELS:
        raise LexiconError(f"{name}：level“{level}”无效，应为 error、warning、info 或 off")
    result, seen = [], set()
    for index, raw in enumerate(raw_entries, start=1):
        where = f"{name} 第{index}条"
        if not isinstance(raw, Mapping):
            raise LexiconError(f"{where}：词条必须是映射")
        entry_id = _require_text(raw.get("id"), where, "编号 id")
        where = f"{name}（{entry_id}）"
        if not _ID.match(entry_id):
            raise LexiconError(f"{where}：编号必须形如 formulaic.stock-phrase.gaodu-zhongshi（小写字母、数字、连字符）")
        if entry_id in seen:
            raise LexiconError(f"{where}：编号在同一文件中重复")
        seen.add(entry_id)
        unknown = set(raw) - _ENTRY_KEYS
        if unknown:
            raise LexiconError(f"{where}：不认识的字段 {', '.join(sorted(map(str, unknown)))}")
        base = known.get(entry_id)
        entry = _build_entry(raw, where, entry_id, base, category, label, level, message, name)
        _check_entry(entry, where)
        result.append(entry)
    return result


def _build_entry(raw: Mapping[str, Any], where: str, entry_id: str, base: Entry | None, category: str,
                 label: str, level: str, message: str, name: str) -> Entry:
    examples = raw.get("examples")
    if examples is not None and not isinstance(examples, Mapping):
        raise LexiconError(f"{where}：examples 必须是含 bad / good 的映射")
    examples = examples or {}
    phrases = _string_list(raw.get("phrases"), where, "phrases")
    frames = tuple(_parse_frame(f, where) for f in _string_list(raw.get("frames"), where, "frames"))
    if base is not None:  # an override: fields not given keep their built-in value
        entry_level = str(raw.get("level", base.level))
        return replace(
            base, level=entry_level,
            phrases=phrases if "phrases" in raw else base.phrases,
            frames=frames if "frames" in raw else base.frames,
            clause_end=bool(raw.get("clause_end", base.clause_end)),
            explain=_require_text(raw["explain"], where, "说明 explain") if "explain" in raw else base.explain,
            hint=_require_text(raw["hint"], where, "改写提示 hint") if "hint" in raw else base.hint,
            message=str(raw.get("message", base.message)),
            bad=_string_list(examples.get("bad"), where, "examples.bad") if "bad" in examples else base.bad,
            good=_string_list(examples.get("good"), where, "examples.good") if "good" in examples else base.good,
            source=name)
    return Entry(
        id=entry_id, category=category, label=label, level=str(raw.get("level", level)),
        phrases=phrases, frames=frames, clause_end=bool(raw.get("clause_end", False)),
        explain=_require_text(raw.get("explain"), where, "说明 explain"),
        hint=_require_text(raw.get("hint"), where, "改写提示 hint"),
        message=str(raw.get("message", message)),
        bad=_string_list(examples.get("bad"), where, "examples.bad"),
        good=_string_list(examples.get("good"), where, "examples.good"), source=name)


def _check_entry(entry: Entry, where: str) -> None:
    if entry.level not in LEVELS:
        raise LexiconError(f"{where}：level“{entry.level}”无效，应为 error、warning、info 或 off")
    if not entry.phrases and not entry.frames:
        raise LexiconError(f"{where}：至少要有一个短语（phrases）或框架（frames）")
    for phrase in entry.phrases + tuple(f.head for f in entry.frames) + tuple(f.tail for f in entry.frames):
        if any(ch in _CLAUSE_PUNCT or ch.isspace() for ch in phrase):
            raise LexiconError(f"{where}：短语“{phrase}”不能含标点或空白")
    for phrase in entry.phrases + tuple(f.head for f in entry.frames):
        if len(phrase) < 2:
            raise LexiconError(f"{where}：短语或框架前半“{phrase}”太短（至少两个字）")
    try:
        entry.render_message("示例")
    except (KeyError, IndexError, ValueError) as exc:
        raise LexiconError(f"{where}：message 模板只能使用 {{match}}、{{label}}、{{explain}}（{exc}）") from exc
    from drafter.analysis.matcher import PhraseMatcher  # local: the matcher imports this module

    matcher = PhraseMatcher([entry])
    for example in entry.bad:
        if not any(m.key == entry.id for m in matcher.find(example)):
            raise LexiconError(f"{where}：反例“{example}”没有被本词条识别出来")
    for example in entry.good:
        if any(m.key == entry.id for m in matcher.find(example)):
            raise LexiconError(f"{where}：正例“{example}”不应被本词条识别，却识别出来了")


def _disable_list(name: str, data: Mapping[str, Any]) -> tuple[str, ...]:
    return _string_list(data.get("disable"), name, "disable")


def _check_unique_phrases(entries: Iterable[Entry]) -> None:
    owner: dict[str, str] = {}
    for entry in entries:
        for phrase in entry.phrases + tuple(str(f) for f in entry.frames):
            if phrase in owner and owner[phrase] != entry.id:
                raise LexiconError(f"短语“{phrase}”同时出现在词条 {owner[phrase]} 和 {entry.id} 中")
            owner[phrase] = entry.id


def parse_yaml(text: str, name: str) -> Any:
    """Parse one YAML file's text; a syntax error becomes a :class:`LexiconError`."""
    try:
        return yaml.load(text, Loader=_SafeLoader)  # a safe loader (libyaml's when available)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{name}：YAML 格式错误：{exc}") from exc


def read_data(name: str) -> Any:
    """A YAML file of ``drafter/analysis/data/formulaic/`` (package data), parsed."""
    path = resources.files("drafter.analysis") / "data" / "formulaic" / name
    return parse_yaml(path.read_text(encoding="utf-8"), name)


_builtin: Lexicon | None = None


def builtin_lexicon() -> Lexicon:
    """The built-in lexicon shipped in ``drafter/analysis/data/formulaic/lexicon/`` (loaded once)."""
    global _builtin
    if _builtin is None:
        folder = resources.files("drafter.analysis") / "data" / "formulaic" / "lexicon"
        files = sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
        documents = [(f"内置词表 {f.name}", parse_yaml(f.read_text(encoding="utf-8"), f.name)) for f in files]
        _builtin = Lexicon().merged(documents, overrides=False)
    return _builtin


def load_lexicon(user_files: Iterable[tuple[str, str]] = (), disabled: Iterable[str] = ()) -> Lexicon:
    """The built-in lexicon merged with user files ``(name, YAML text)`` and with ``disabled`` ids off."""
    documents = [(name, parse_yaml(text, name) or {}) for name, text in user_files]
    lexicon = builtin_lexicon().merged(documents) if documents else builtin_lexicon()
    return lexicon.without(disabled)

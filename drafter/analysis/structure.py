"""Structure findings (``structure.*``): heading levels and numbering after GB/T 9704, 一是/二是 sequences,
heading punctuation, balance of sections and paragraph length.

The outline comes from :mod:`drafter.analysis.outline`. Rules are conservative where real documents are
ambiguous: a list that starts again at 1 is a new list, not an error; numbering that runs on across parents
(（一）…（四） under 二、, （五）… under 三、, as in many 中央 documents) is a style, flagged only when a
document mixes it with restarting; an unnumbered chapter with a single article is normal in regulations.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from statistics import median

from drafter.analysis.findings import Finding, Severity, sort_findings
from drafter.analysis.numerals import int_to_cn
from drafter.analysis.outline import GB_LEVEL, Heading, Marker, Outline, SequenceItem, parse_outline, render_marker
from drafter.analysis.text import cjk_count


@dataclass(frozen=True)
class RuleSpec:
    """A structure or norms rule: stable id, default severity and a Chinese description for users."""

    id: str
    severity: Severity
    name: str
    description: str


def _spec(rule: str, severity: str, name: str, description: str) -> RuleSpec:
    return RuleSpec(rule, Severity(severity), name, description)


RULES: dict[str, RuleSpec] = {spec.id: spec for spec in (
    _spec("structure.numbering-gap", "error", "序号缺漏", "同级序号跳号，如“一、”之后直接是“三、”"),
    _spec("structure.numbering-repeat", "error", "序号重复", "同级序号重复，如两个“（二）”相连"),
    _spec("structure.numbering-order", "error", "序号颠倒", "同级序号比前一项小，如“三、”之后是“二、”"),
    _spec("structure.numbering-restart", "warning", "序号未重新编号",
          "新的上级标题下，下级序号接续上一部分而没有从头编起（或与全文的编号方式不一致）"),
    _spec("structure.level-skip", "warning", "层级跳跃",
          "跳过中间层级，如“一、”之下直接使用“1.”；全文一致地越级时只作提示"),
    _spec("structure.lone-child", "warning", "只有一项的下级标题", "某一层级只有“（一）”而没有“（二）”"),
    _spec("structure.marker-style", "error", "序号标点错误",
          "序号后的标点与层级不符，如“一.”“1、”“（一）、”，或序号使用半角括号"),
    _spec("structure.marker-width", "warning", "序号全半角混用", "同一文稿中“1.”与“1．”或全角、半角数字混用"),
    _spec("structure.sequence-gap", "error", "“一是、二是”缺项", "“一是”“三是”之间缺少“二是”"),
    _spec("structure.sequence-repeat", "error", "“一是、二是”重复", "同一组中“二是”出现两次"),
    _spec("structure.heading-punct", "warning", "同级标题末尾标点不一致",
          "同级的独立成段标题，有的以句号结尾，有的没有"),
    _spec("structure.unbalanced-sections", "info", "同级部分篇幅失衡", "同级某一部分的篇幅远大于其他部分"),
    _spec("structure.long-paragraph", "info", "段落过长", "单个段落字数过多，不便阅读"),
)}

#: A paragraph longer than this many Chinese characters gets ``structure.long-paragraph``.
LONG_PARAGRAPH_CJK = 600
#: A sibling section this many times the median of its siblings, and longer than the minimum, is reported.
UNBALANCED_RATIO = 6
UNBALANCED_MIN_CHARS = 3000
#: Sequence items further apart than this many paragraphs are not treated as one chain.
SEQUENCE_MAX_PARAGRAPH_GAP = 2
#: A standalone heading longer than this is a list item, not a heading, for the punctuation rule.
HEADING_MAX_CHARS = 30


@dataclass
class StructureResult:
    """The outline of a text and the structure findings about it."""

    outline: Outline
    findings: list[Finding]


def check_structure(text: str, outline: Outline | None = None,
                    long_paragraph: int | None = None) -> StructureResult:
    """Parse ``text`` (unless an outline is given) and return its outline with every structure finding.

    ``long_paragraph`` overrides :data:`LONG_PARAGRAPH_CJK` (an office's own limit).
    """
    outline = outline or parse_outline(text)
    findings: list[Finding] = []
    groups = list(_sibling_groups(outline))
    for grouped in (_numbering, _lone_child, _heading_punct, _unbalanced_sections):
        findings.extend(grouped(outline, groups))
    for rule in (_level_skip, _marker_style, _marker_width, _sequence_chains):
        findings.extend(rule(outline))
    findings.extend(_long_paragraphs(outline, long_paragraph or LONG_PARAGRAPH_CJK))
    return StructureResult(outline, sort_findings(_dedupe(findings)))


def _finding(rule: str, start: int, end: int, message: str, suggestion: str | None = None,
             severity: Severity | None = None, **data: object) -> Finding:
    return Finding(rule, severity or RULES[rule].severity, start, end, message, suggestion, dict(data))


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, int, int]] = set()
    result = []
    for finding in findings:
        key = (finding.rule, finding.start, finding.end)
        if key not in seen:
            seen.add(key)
            result.append(finding)
    return result


def _quote(marker: str) -> str:
    return f"“{marker}”"


def _where(heading: Heading) -> str:
    return f"第{heading.line}行的“{heading.marker.text}”"


# ------------------------------------------------------------------------------------------ numbering

def _sibling_groups(outline: Outline) -> Iterator[tuple[Heading | None, list[Heading]]]:
    """(parent, children of one kind) for every parent, scope roots included (parent None)."""
    parents: list[tuple[Heading | None, list[Heading]]] = []
    for scope in outline.scopes:
        parents.append((None, [root for root in outline.roots if root.scope == scope.index]))
    parents.extend((heading, heading.children) for heading in outline.headings())
    for parent, children in parents:
        by_kind: dict[str, list[Heading]] = defaultdict(list)
        for child in children:
            by_kind[child.kind].append(child)
        for group in by_kind.values():
            yield parent, group


Groups = list[tuple[Heading | None, list[Heading]]]


def _numbering(outline: Outline, groups: Groups) -> Iterator[Finding]:
    """Gaps, repeats and inversions inside a sibling group, and how numbering starts under each parent."""
    by_kind: dict[tuple[int, str], list[tuple[Heading | None, list[Heading]]]] = defaultdict(list)
    for parent, group in groups:
        yield from _within_group(group)
        by_kind[(group[0].scope, group[0].kind)].append((parent, group))
    for same_kind in by_kind.values():
        same_kind.sort(key=lambda item: item[1][0].start)
        yield from _group_starts(same_kind)


def _within_group(group: list[Heading]) -> Iterator[Finding]:
    """Compare each item with the one before it.

    A list that starts again at 1 is a new run; an item that carries on an earlier, interrupted run
    (一、二、 … 一、二、三、 … 三、, as when a text nests a list with the same markers) is accepted too.
    """
    runs: list[Heading] = [group[0]]  # the last item of every run so far
    current = 0
    for cur in group[1:]:
        prev = runs[current]
        p, c = prev.number, cur.number
        m = cur.marker
        if c == p + 1:
            runs[current] = cur
            continue
        if c == 1 and p != 1:
            runs.append(cur)  # a new list starting again at 1
            current = len(runs) - 1
            continue
        resumed = next((i for i in range(len(runs) - 1, -1, -1) if i != current and runs[i].number == c - 1), None)
        if resumed is not None and c != 1:
            runs[resumed] = cur
            current = resumed
            continue
        if c == p:
            yield _finding("structure.numbering-repeat", m.start, m.end,
                           f"{_quote(m.text)}与上一项（{_where(prev)}）序号重复",
                           f"改为{_quote(m.like(p + 1))}", expected=p + 1)
        elif c > p + 1:
            missing = "".join(_quote(m.like(n)) for n in range(p + 1, min(c, p + 4)))
            more = "等" if c - p - 1 > 3 else ""
            yield _finding("structure.numbering-gap", m.start, m.end,
                           f"{_quote(m.text)}之前缺少{missing}{more}（上一项是{_where(prev)}）",
                           f"改为{_quote(m.like(p + 1))}，或补上缺少的部分", expected=p + 1)
        else:
            yield _finding("structure.numbering-order", m.start, m.end,
                           f"{_quote(m.text)}排在{_where(prev)}之后，序号颠倒或重复",
                           f"按顺序改为{_quote(m.like(p + 1))}", expected=p + 1)
        runs[current] = cur


def _group_starts(groups: list[tuple[Heading | None, list[Heading]]]) -> Iterator[Finding]:
    """How numbering of one kind starts under each new parent: again at 1, or running on from the last one.

    Articles (第X条) always run on through a regulation. For the other kinds both styles occur in real
    documents; only a document that mixes them is flagged, at the places that follow the minority style.
    """
    restarts: list[Heading] = []
    runs_on: list[Heading] = []
    previous: Heading | None = None
    articles = groups[0][1][0].kind == "article"
    for parent, group in groups:
        first = group[0]
        if previous is None:
            if first.number != 1:
                yield _start_gap(parent, first, None)
        elif first.number == 1:
            restarts.append(first)
        elif first.number == previous.number + 1:
            runs_on.append(first)
        elif articles:
            yield from _within_group([previous, first])
        else:
            yield _start_gap(parent, first, previous.number)
        previous = group[-1]
    if articles:
        for first in restarts:
            m = first.marker
            yield _finding("structure.numbering-restart", m.start, m.end,
                           f"条的序号应全文连续编排，此处却从{_quote(m.text)}重新开始",
                           "按全文顺序连续编排条的序号", severity=Severity.ERROR)
        return
    if not restarts or not runs_on:
        return
    if len(runs_on) <= len(restarts):
        for first in runs_on:
            m = first.marker
            where = f"“{first.parent.marker.text}”下" if first.parent else "此处"
            yield _finding("structure.numbering-restart", m.start, m.end,
                           f"{where}的序号接续上一部分编为{_quote(m.text)}，而本文其他部分在新的上级标题下都从"
                           f"{_quote(m.like(1))}重新编号", f"改为{_quote(m.like(1))}，并依次调整后续序号")
    else:
        for first in restarts:
            m = first.marker
            yield _finding("structure.numbering-restart", m.start, m.end,
                           f"本文其他部分的{_quote(m.like(2))}一类序号跨部分连续编号，此处却从{_quote(m.text)}"
                           f"重新开始", "全文统一编号方式：要么各部分都从头编号，要么全文连续编号")


def _start_gap(parent: Heading | None, first: Heading, previous_last: int | None) -> Finding:
    m = first.marker
    expected = 1 if previous_last is None or first.number <= previous_last else previous_last + 1
    missing = "".join(_quote(m.like(n)) for n in range(expected, min(first.number, expected + 3)))
    more = "等" if first.number - expected > 3 else ""
    where = f"“{parent.marker.text}”下第一项" if parent else "第一项"
    return _finding("structure.numbering-gap", m.start, m.end,
                    f"{where}是{_quote(m.text)}，之前缺少{missing}{more}",
                    f"改为{_quote(m.like(expected))}，或补上缺少的部分", expected=expected)


# ------------------------------------------------------------------------------------------ levels

def _level_skip(outline: Outline) -> Iterator[Finding]:
    """A child two or more GB/T 9704 levels below its parent (一、 directly followed by 1.).

    Skipping a level (越级) is tolerated in many offices when a part has few levels, so a text that skips
    it everywhere gets a note (info); a text that uses the level under some parents and skips it under
    others gets a warning.
    """
    used_under: set[tuple[str, str]] = {(h.parent.kind, h.kind) for h in outline.headings() if h.parent}
    for heading in outline.headings():
        parent = heading.parent
        if parent is None or heading.kind not in GB_LEVEL or parent.kind not in GB_LEVEL:
            continue
        gap = GB_LEVEL[heading.kind] - GB_LEVEL[parent.kind]
        if gap <= 1 or heading is not _first_of_kind(parent, heading.kind):
            continue
        skipped = [kind for kind, level in GB_LEVEL.items() if GB_LEVEL[parent.kind] < level < GB_LEVEL[heading.kind]]
        skipped_markers = "".join(_quote(render_marker(kind, 1)) for kind in skipped)
        inconsistent = (parent.kind, skipped[0]) in used_under
        m = heading.marker
        elsewhere = (f"，而本文其他{_quote(parent.marker.like(1))}一级之下用了{_quote(render_marker(skipped[0], 1))}"
                     if inconsistent else "")
        yield _finding("structure.level-skip", m.start, m.end,
                       f"{_quote(parent.marker.text)}（第{parent.line}行）之下直接使用{_quote(m.text)}，"
                       f"跳过了{skipped_markers}一级{elsewhere}；按GB/T 9704，层次依次为“一、”“（一）”“1.”“（1）”",
                       f"将{_quote(m.text)}一级改为{_quote(render_marker(skipped[0], m.number))}，"
                       f"或在其上补出{skipped_markers}一级",
                       severity=Severity.WARNING if inconsistent else Severity.INFO)


def _first_of_kind(parent: Heading, kind: str) -> Heading | None:
    return next((child for child in parent.children if child.kind == kind), None)


def _lone_child(outline: Outline, groups: Groups) -> Iterator[Finding]:
    """A level with a single numbered item: 有“（一）”必有“（二）”."""
    for index, (parent, group) in enumerate(groups):
        if len(group) != 1 or group[0].kind not in GB_LEVEL or group[0].number != 1:
            continue
        child = group[0]
        following = [g[0] for _, g in groups[index + 1:]
                     if g[0].kind == child.kind and g[0].scope == child.scope and g[0].start > child.start]
        if following and min(following, key=lambda h: h.start).number == 2:
            continue  # numbering runs on into the next part: （一） here, （二）（三） under the next parent
        m = child.marker
        if parent is None:
            if len(outline.by_paragraph) < 2 and child.kind != "cn":
                continue  # a single numbered line in a short text is rarely meant as a heading
            where = "全文" if child.scope == 0 else "该附件"
        else:
            where = f"{_quote(parent.marker.text)}（第{parent.line}行）下"
        yield _finding("structure.lone-child", m.start, m.end,
                       f"{where}只有{_quote(m.text)}，没有{_quote(m.like(2))}；只有一项时不必编号",
                       f"删去序号{_quote(m.text)}，或补充{_quote(m.like(2))}")


# ------------------------------------------------------------------------------------------ markers

def _marker_style(outline: Outline) -> Iterator[Finding]:
    """Punctuation after the numeral wrong for the level, or half-width brackets around it."""
    for heading in outline.headings():
        m = heading.marker
        if m.kind not in GB_LEVEL:
            continue
        right = m.correct_form
        if m.wrong_punctuation:
            yield _finding("structure.marker-style", m.start, m.end, _style_message(m, right), f"改为{_quote(right)}")
        elif m.halfwidth_brackets:
            yield _finding("structure.marker-style", m.start, m.end,
                           f"序号{_quote(m.text)}使用了半角括号，公文中应使用全角括号{_quote(right)}",
                           f"改为{_quote(right)}", severity=Severity.WARNING)


def _style_message(m: Marker, right: str) -> str:
    if m.kind == "cn":
        return f"一级标题序号{_quote(m.text)}应使用顿号，写作{_quote(right)}"
    if m.kind == "arabic":
        return f"三级标题序号{_quote(m.text)}应使用小圆点而不是“{m.punct}”，写作{_quote(right)}"
    return f"带括号的序号{_quote(m.text)}后不加标点（GB/T 15834），应写作{_quote(right)}"


def _marker_width(outline: Outline) -> Iterator[Finding]:
    """Half- and full-width forms of the same marker family mixed in one document (1. and 1．; 1 and １)."""
    by_variant: dict[str, Counter[str]] = defaultdict(Counter)
    markers: dict[str, list[tuple[str, Marker]]] = defaultdict(list)
    for heading in outline.headings():
        m = heading.marker
        if m.kind == "arabic" and m.punct in (".", "．"):
            variant = "全角小圆点“．”" if m.punct == "．" else "半角小圆点“.”"
            by_variant["dot"][variant] += 1
            markers["dot"].append((variant, m))
        if m.kind in ("arabic", "paren-arabic"):
            variant = "全角数字" if m.fullwidth_digits else "半角数字"
            by_variant["digit"][variant] += 1
            markers["digit"].append((variant, m))
    for family, counts in by_variant.items():
        if len(counts) < 2:
            continue
        (major, _), (minor, _) = counts.most_common(2)
        if family == "digit" and counts[major] == counts[minor]:
            minor, major = "全角数字", "半角数字"
        for variant, m in markers[family]:
            if variant == minor:
                yield _finding("structure.marker-width", m.start, m.end,
                               f"序号{_quote(m.text)}使用{minor}，而本文其他同类序号使用{major}，应统一",
                               f"统一为{major}")


def _heading_punct(outline: Outline, groups: Groups) -> Iterator[Finding]:
    """Standalone sibling headings where some end with “。” and others with nothing."""
    for _parent, group in groups:
        standalone = [h for h in group if not h.run_in and h.ending in ("。", "") and h.title
                      and len(h.title) <= HEADING_MAX_CHARS and h.kind not in ("article",)]
        if len(standalone) < 3:
            continue
        with_stop = [h for h in standalone if h.ending == "。"]
        without = [h for h in standalone if h.ending == ""]
        if not with_stop or not without:
            continue
        odd, usual = (with_stop, "不加标点") if len(with_stop) <= len(without) else (without, "以句号结尾")
        for heading in odd:
            end = heading.title_end + len(heading.ending)
            shown = heading.marker.text + heading.title + heading.ending
            yield _finding("structure.heading-punct", heading.start, end,
                           f"同级标题大多{usual}，而{_quote(shown)}不同，应统一",
                           "独立成段的标题末尾一般不加句号" if usual == "不加标点" else "补上句号，与同级标题一致")


def _unbalanced_sections(outline: Outline, groups: Groups) -> Iterator[Finding]:
    """A sibling section many times longer than the others (info)."""
    closing = [(part.start, part.end) for part in outline.closing]
    for _parent, group in groups:
        if len(group) < 3 or group[0].kind == "article":
            continue
        sizes = [_section_chars(outline.text, h, closing) for h in group]
        middle = median(sizes)
        biggest = max(range(len(group)), key=sizes.__getitem__)
        if middle and sizes[biggest] > UNBALANCED_RATIO * middle and sizes[biggest] > UNBALANCED_MIN_CHARS:
            h = group[biggest]
            yield _finding("structure.unbalanced-sections", h.start, h.marker.end,
                           f"{_quote(h.marker.text)}一部分约{sizes[biggest]}字，是同级其他部分（中位数约{int(middle)}字）"
                           f"的{sizes[biggest] / middle:.0f}倍，篇幅可能失衡",
                           "考虑拆分这一部分，或压缩其内容")


def _section_chars(text: str, heading: Heading, closing: list[tuple[int, int]]) -> int:
    chars = heading.section_end - heading.start
    for start, end in closing:
        overlap = min(end, heading.section_end) - max(start, heading.start)
        if overlap > 0:
            chars -= overlap
    return chars


def _long_paragraphs(outline: Outline, limit: int) -> Iterator[Finding]:
    """Paragraphs with more Chinese characters than ``limit`` (info)."""
    for para in outline.paragraphs:
        if para.end - para.start <= limit:
            continue
        count = cjk_count(para.of(outline.text))
        if count > limit:
            end = min(para.end, para.start + 20)
            yield _finding("structure.long-paragraph", para.start, end,
                           f"第{para.line}行“{outline.text[para.start:para.start + 8]}……”这一段约{count}字，段落过长不便阅读",
                           f"按层次拆分为几段（建议每段不超过{limit}字）", chars=count)


# ------------------------------------------------------------------------------------------ sequences

def _sequence_chains(outline: Outline) -> Iterator[Finding]:
    """Gaps and repeats in 一是/二是, 一要/二要 and 第一，/第二， chains within one section."""
    section_of = _section_index(outline)
    chains: dict[tuple[int, str], list[SequenceItem]] = {}
    for item in outline.sequences:
        if item.family == "首先":
            continue
        key = (section_of(item.start), item.family)
        chain = chains.get(key)
        if item.number == 1:
            chains[key] = [item]
            continue
        if not chain or item.paragraph - chain[-1].paragraph > SEQUENCE_MAX_PARAGRAPH_GAP:
            chains.pop(key, None)
            continue
        last = chain[-1]
        if item.number == last.number + 1:
            chain.append(item)
        elif item.number > last.number + 1:
            missing = "".join(_quote(_seq_word(item, n)) for n in range(last.number + 1, item.number))
            yield _finding("structure.sequence-gap", item.start, item.end,
                           f"{_quote(item.word)}之前缺少{missing}（上一项是{_quote(last.word)}）",
                           f"改为{_quote(_seq_word(item, last.number + 1))}，或补上缺少的一项")
            chain.append(item)
        else:
            earlier = next(x for x in chain if x.number >= item.number)
            yield _finding("structure.sequence-repeat", item.start, item.end,
                           f"{_quote(item.word)}在本组中已出现过（前面已有{_quote(earlier.word)}）",
                           f"改为{_quote(_seq_word(item, last.number + 1))}")


def _seq_word(item: SequenceItem, number: int) -> str:
    if item.family == "第":
        return f"第{int_to_cn(number)}"
    return f"{int_to_cn(number)}{item.family}"


def _section_index(outline: Outline):
    """A function mapping an offset to the index of the heading section that contains it."""
    starts = sorted(h.paragraph.start for h in outline.headings())
    from bisect import bisect_right

    return lambda offset: bisect_right(starts, offset)


def rule_ids() -> Iterable[str]:
    """Ids of every structure rule."""
    return RULES.keys()

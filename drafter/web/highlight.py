"""Render a version's text paragraph by paragraph with findings, annotations and reused passages marked.

The characters inside each rendered paragraph are exactly ``text[p.start:p.end]`` (marks only wrap them;
markers for zero-width findings are empty elements), so the browser can turn a selection back into offsets
of the version's text from the paragraph's ``data-start``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from drafter.analysis.text import paragraphs
from drafter.docio import heading_level

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Mark:
    """A span to mark: ``kind`` is "finding", "annotation" or "reuse"; ``key`` identifies it in the page."""

    kind: str
    key: str
    start: int
    end: int
    css: str = ""


@dataclass
class Piece:
    """A run of characters covered by the same marks."""

    start: int
    text: str
    marks: list[Mark] = field(default_factory=list)
    pins: list[Mark] = field(default_factory=list)


def render_paragraphs(text: str, marks: list[Mark]) -> list[Markup]:
    """HTML ``<p>`` elements for every paragraph of ``text`` with ``marks`` applied."""
    result = []
    seen: set[str] = set()
    for para in paragraphs(text):
        line = text[para.start:para.end]
        level = heading_level(line)
        head_end = para.start + heading_length(line) if level else para.start
        pieces = _pieces(text, para.start, para.end, marks, head_end)
        css = f"para h{level}" if level else "para"
        inner = "".join(_render_piece(piece, seen, piece.start < head_end) for piece in pieces)
        result.append(Markup(f'<p id="p{para.index}" class="{css}" data-start="{para.start}">{inner}</p>'))
    return result


def heading_length(line: str) -> int:
    """Characters of a heading line set in the heading's font: all of it, or the heading sentence of a run-in
    heading ("一、严格执行值班制度。汛期实行……" → up to the first "。")."""
    stop = line.find("。")
    return stop + 1 if 0 <= stop < len(line) - 1 else len(line)


def _pieces(text: str, start: int, end: int, marks: list[Mark], head_end: int) -> list[Piece]:
    inside = [m for m in marks if m.start < end and m.end > start and m.end > m.start]
    pins = [m for m in marks if m.start == m.end and start <= m.start <= end]
    cuts = sorted({start, end, head_end} | {max(m.start, start) for m in inside} | {min(m.end, end) for m in inside}
                  | {m.start for m in pins})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = Piece(a, text[a:b], [m for m in inside if m.start < b and m.end > a])
        piece.pins = [m for m in pins if m.start == a]
        pieces.append(piece)
    trailing = [m for m in pins if m.start == end]
    if trailing:
        pieces.append(Piece(end, "", [], trailing))
    return pieces


def _render_piece(piece: Piece, seen: set[str], heading: bool = False) -> str:
    html = []
    for pin in piece.pins:
        ident = _first_id(pin, seen)
        html.append(f'<span class="pin {pin.css}"{ident} data-{pin.kind}="{escape(pin.key)}" title="此处有问题"></span>')
    if not piece.text:
        return "".join(html)
    if not piece.marks:
        html.append(f'<span class="hd">{escape(piece.text)}</span>' if heading else str(escape(piece.text)))
        return "".join(html)
    classes = ["hl", "hd"] if heading else ["hl"]
    findings = [m for m in piece.marks if m.kind == "finding"]
    annotations = [m for m in piece.marks if m.kind == "annotation"]
    if findings:
        worst = min(findings, key=lambda m: _SEVERITY_ORDER.get(m.css, 3))
        classes += ["hl-finding", f"sev-{worst.css}"]
    if annotations:
        classes += ["hl-annotation", annotations[0].css]
    if any(m.kind == "reuse" for m in piece.marks):
        classes.append("hl-reuse")
    ids = "".join(_first_id(m, seen) for m in piece.marks[:1])
    extra = "".join(_first_anchor(m, seen) for m in piece.marks[1:])
    data = "".join(f' data-{kind}="{escape(" ".join(m.key for m in piece.marks if m.kind == kind))}"'
                   for kind in ("finding", "annotation", "reuse") if any(m.kind == kind for m in piece.marks))
    html.append(f'{extra}<span class="{" ".join(classes)}"{ids}{data}>{escape(piece.text)}</span>')
    return "".join(html)


def _first_id(mark: Mark, seen: set[str]) -> str:
    """An ``id`` for the first element of a mark (links from the side panel jump to it)."""
    ident = f"{mark.kind[0]}-{mark.key}"
    if ident in seen:
        return ""
    seen.add(ident)
    return f' id="{escape(ident)}"'


def _first_anchor(mark: Mark, seen: set[str]) -> str:
    """An empty anchor element for marks that start in a piece whose id is taken by another mark."""
    ident = _first_id(mark, seen)
    return f'<span class="anchor"{ident}></span>' if ident else ""

"""Annotations on draft versions: add, reply, resolve, and place them on any version of the draft."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from drafter.analysis.anchor import Anchor, OffsetMap, context, locate
from drafter.services import audit, permissions
from drafter.services.drafts import DraftError, PermissionDenied
from drafter.store.models import User, utcnow
from drafter.store.workflow import Annotation, AnnotationCategory, AnnotationReply, Draft, DraftVersion

MAX_QUOTE = 2000
MAX_COMMENT = 3000


def find_quote(text: str, quote: str) -> tuple[int, int]:
    """The span of ``quote`` in ``text`` when it occurs exactly once (the form without script sends a quote)."""
    quote = quote.strip()
    if not quote:
        raise DraftError("请选择或填写要批注的原文")
    first = text.find(quote)
    if first == -1:
        raise DraftError(f"在该稿中找不到“{_short(quote)}”，请直接复制原文中的文字")
    if text.find(quote, first + 1) != -1:
        raise DraftError(f"“{_short(quote)}”在文中出现了不止一次，请多选几个字，使批注位置唯一")
    return first, first + len(quote)


def selected_span(text: str, start: int | None, end: int | None, quote: str | None) -> tuple[int, int]:
    """The span the user selected: offsets sent by the page's script (checked against ``quote`` when given),
    or, without offsets, the one place ``quote`` occurs; refused with a Chinese message when invalid."""
    if start is None or end is None:
        start, end = find_quote(text, quote or "")
    elif not (0 <= start < end <= len(text)):
        raise DraftError("批注位置无效，请重新选择原文")
    elif quote is not None and quote != text[start:end]:
        raise DraftError("所选文字与该稿不一致（页面可能已过期），请刷新后重新选择")
    if end - start > MAX_QUOTE:
        raise DraftError(f"所选原文过长（{end - start} 字），一条批注最多针对 {MAX_QUOTE} 字")
    return start, end


def add_annotation(session: Session, draft: Draft, version: DraftVersion, actor: User, start: int | None,
                   end: int | None, category: str, comment: str, replacement: str | None = None,
                   quote: str | None = None, now: dt.datetime | None = None) -> Annotation:
    """Comment on ``version.text[start:end]``; with no offsets, ``quote`` must occur once in the text."""
    now = now or utcnow()
    if not permissions.can_annotate(actor, draft):
        raise PermissionDenied("只有指导老师和已送达的审阅人可以批注，撰稿人可以回复批注")
    if version.draft_id != draft.id:
        raise DraftError("版本不属于这篇文稿")
    text = version.text
    start, end = selected_span(text, start, end, quote)
    try:
        cat = AnnotationCategory(category)
    except ValueError as exc:
        raise DraftError("请选择批注类别：观点、结构、措辞/套话、错别字、格式或数据") from exc
    comment = (comment or "").strip()
    replacement = (replacement or "").strip() or None
    if not comment and not replacement:
        raise DraftError("请填写批注意见或修改建议")
    if len(comment) > MAX_COMMENT:
        raise DraftError(f"批注意见过长（{len(comment)} 字），请控制在 {MAX_COMMENT} 字以内")
    prefix, suffix = context(text, start, end)
    annotation = Annotation(draft_id=draft.id, version_id=version.id, author_id=actor.id, start=start, end=end,
                            quote=text[start:end], prefix=prefix, suffix=suffix, category=cat.value,
                            comment=comment or f"建议改为“{replacement}”", replacement=replacement, resolved=False,
                            created_at=now)
    session.add(annotation)
    session.flush()
    state = draft.review_state
    audit.record(session, actor, "annotate", draft, state, state,
                 f"第{version.number}稿“{_short(annotation.quote)}”：{cat.label}", now=now)
    return annotation


def reply(session: Session, draft: Draft, annotation: Annotation, actor: User, text: str,
          now: dt.datetime | None = None) -> AnnotationReply:
    """Add a reply to an annotation's thread."""
    if not permissions.can_reply(actor, draft) or annotation.draft_id != draft.id:
        raise PermissionDenied("您不能回复这条批注")
    text = (text or "").strip()
    if not text:
        raise DraftError("回复内容不能为空")
    if len(text) > MAX_COMMENT:
        raise DraftError(f"回复过长（{len(text)} 字），请控制在 {MAX_COMMENT} 字以内")
    item = AnnotationReply(annotation_id=annotation.id, author_id=actor.id, text=text, created_at=now or utcnow())
    session.add(item)
    session.flush()
    return item


def set_resolved(session: Session, draft: Draft, annotation: Annotation, actor: User, resolved: bool,
                 now: dt.datetime | None = None) -> None:
    """Mark an annotation resolved (or reopen it): the writer or the annotation's author."""
    if annotation.draft_id != draft.id or not permissions.can_resolve(actor, draft, annotation):
        raise PermissionDenied("只有撰稿人或批注人可以标记批注已解决")
    annotation.resolved = resolved
    annotation.resolved_by_id = actor.id if resolved else None
    annotation.resolved_at = (now or utcnow()) if resolved else None
    session.flush()


def get_annotation(session: Session, draft: Draft, annotation_id: int) -> Annotation | None:
    """An annotation of ``draft`` by id."""
    annotation = session.get(Annotation, annotation_id)
    return annotation if annotation is not None and annotation.draft_id == draft.id else None


@dataclass(frozen=True)
class Placed:
    """An annotation with where it sits on the version being shown."""

    annotation: Annotation
    anchor: Anchor
    #: Made on this version (not carried over from an earlier one).
    native: bool

    @property
    def status_label(self) -> str:
        """Chinese label of the anchor status."""
        if self.anchor.status == "applied":
            return "已按建议修改"
        if self.anchor.status == "outdated":
            return "原文已改动"
        return ""


def place_annotations(session: Session, draft: Draft, version: DraftVersion) -> list[Placed]:
    """The annotations made on this or an earlier version, placed on ``version``'s text, in text order.

    An annotation stays on its quoted words where they still exist, shows as applied where the writer took
    the suggested replacement, and as outdated where the words are gone.
    """
    annotations = session.scalars(select(Annotation).where(Annotation.draft_id == draft.id)
                                  .order_by(Annotation.id)).all()
    numbers = {v.id: v.number for v in draft.versions}
    texts = {v.id: v.text for v in draft.versions}
    maps: dict[int, OffsetMap] = {}
    placed = []
    for annotation in annotations:
        made_on = numbers.get(annotation.version_id, 0)
        if made_on > version.number:
            continue
        if annotation.version_id == version.id:
            anchor = Anchor("anchored", annotation.start, annotation.end)
        else:
            if annotation.version_id not in maps:
                maps[annotation.version_id] = OffsetMap(texts[annotation.version_id], version.text)
            near = maps[annotation.version_id].map(annotation.start)
            anchor = locate(annotation.quote, annotation.prefix, annotation.suffix, version.text, near,
                            annotation.replacement)
        placed.append(Placed(annotation, anchor, annotation.version_id == version.id))
    placed.sort(key=lambda p: (p.anchor.start is None, p.anchor.start or 0, p.annotation.id))
    return placed


def open_count(session: Session, draft: Draft) -> int:
    """Annotations not yet resolved."""
    return sum(1 for a in session.scalars(select(Annotation).where(Annotation.draft_id == draft.id))
               if not a.resolved)


def _short(text: str, limit: int = 20) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[:limit - 1] + "…"

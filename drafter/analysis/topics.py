"""Topics of an archive: TF-IDF over segmented words, factorised with NMF, each topic named by its top terms.

Pure: token lists (from :func:`topic_tokens`) in, a :class:`TopicModel` out; scikit-learn is imported when a
model is fitted. Words that say nothing about a subject are left out before weighting: one-character words,
numbers and dates, the function words of :data:`STOPWORDS`, the all-purpose words of official writing
(加强、推进、工作、机制 … from the formulaic lexicon's ``style.yaml``) and the lexicon's stock phrases
(高度重视、切实加强 …), so a topic reads 乡村振兴、农业、农民 rather than 工作、加强、推进.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from drafter.analysis.formulaic import all_purpose_words
from drafter.analysis.lexicon import builtin_lexicon
from drafter.analysis.segment import cut

#: Words that carry no subject: pronouns, conjunctions, the verbs and nouns of every official text.
STOPWORDS = frozenset("""
我们 你们 他们 它们 我国 我省 我市 我县 我区 本市 全市 全省 全县 全区 全国 各地 各级 各类 各项 各种 有关 相关 以及 同时
其中 通过 按照 根据 关于 对于 作为 进行 予以 给予 加以 开展 做好 做到 实现 提高 提升 确保 坚持 继续 进一步 不断 积极 认真
切实 充分 全面 大力 着力 努力 深入 扎实 持续 更加 一批 一些 一个 一项 一是 二是 三是 四是 五是 六是 首先 其次 最后 主要
重要 重点 方面 问题 情况 要求 意见 通知 报告 方案 办法 规定 单位 部门 同志 领导 地方 政府 国家 社会 发展 建设 工作 今年
去年 明年 目前 当前 今后 近年来 以来 以上 以下 之一 等等 已经 正在 可以 应当 必须 需要 没有 不得 不能 能够 要求 负责 组织
""".split())
#: Terms with any character outside these ranges (digits, Latin letters, punctuation) are not topic words.
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")
#: Topics when the caller does not say: about sqrt(documents / 2), between 3 and 15.
MIN_TOPICS, MAX_TOPICS = 3, 15
TOP_TERMS = 10
LABEL_TERMS = 3


@lru_cache(maxsize=1)
def _excluded() -> frozenset[str]:
    """Stop words, all-purpose words and the stock phrases of the built-in lexicon (高度重视、切实加强 …)."""
    stock = {phrase for entry in builtin_lexicon().entries for phrase in entry.phrases}
    return STOPWORDS | all_purpose_words() | stock


def subject_words(words: Iterable[str]) -> list[str]:
    """The subject words among segmented ``words``: Chinese words of two or more characters that are not
    stop words."""
    excluded = _excluded()
    return [w for w in words if len(w) >= 2 and w not in excluded and _HAN.match(w)]


def topic_tokens(text: str, segment: Callable[[str], list[str]] = cut) -> list[str]:
    """The subject words of ``text`` (:func:`subject_words` of its segmentation)."""
    return subject_words(segment(text))


def default_topics(documents: int) -> int:
    """A number of topics that suits an archive of ``documents`` texts."""
    return max(MIN_TOPICS, min(MAX_TOPICS, round(math.sqrt(documents / 2)))) if documents else 0


@dataclass(frozen=True)
class Topic:
    """One topic: its top terms with weights, a label made of the first terms, its share of the archive."""

    index: int
    terms: tuple[str, ...]
    weights: tuple[float, ...]
    #: Mean share of the documents' topic weight that falls on this topic (all topics add up to 1).
    share: float
    #: Documents for which this is the strongest topic.
    documents: int

    @property
    def label(self) -> str:
        """``乡村振兴、农业、农民``."""
        return "、".join(self.terms[:LABEL_TERMS])


@dataclass(frozen=True)
class TopicModel:
    """Topics, and each document's topic shares (rows add up to 1; all zeros when no term was kept)."""

    topics: list[Topic]
    #: Per document, the share of each topic (same order as ``topics``).
    doc_topics: list[tuple[float, ...]]
    vocabulary: int
    iterations: int
    converged: bool
    notes: list[str] = field(default_factory=list)

    def dominant(self, row: int) -> int | None:
        """Index (into ``topics``) of a document's strongest topic, None when it has no topic words."""
        shares = self.doc_topics[row]
        if not shares or max(shares) <= 0:
            return None
        return max(range(len(shares)), key=shares.__getitem__)


def fit_topics(documents: Iterable[Sequence[str]], n_topics: int | None = None, seed: int = 0,
               max_features: int = 20000, max_iter: int = 400) -> TopicModel:
    """Fit topics to documents given as token lists (:func:`topic_tokens`); ``documents`` may be a generator
    (it is read once, so a large archive never has to be held in memory as words).

    TF-IDF with sublinear term frequency; terms in at least 2 documents (when there are 20 or more) and in
    at most half of them; NMF (coordinate descent, NNDSVDA start, fixed ``seed``: the same archive gives the
    same topics). Topics are ordered by their share of the archive.
    """
    import numpy as np
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    notes: list[str] = []
    seen = [0]

    def counted() -> Iterable[Sequence[str]]:
        for tokens in documents:
            seen[0] += 1
            yield tokens

    counter = CountVectorizer(analyzer=_identity, lowercase=False, dtype=np.float32)
    try:
        counts = counter.fit_transform(counted())
    except ValueError:  # no document has a single subject word
        return TopicModel([], [tuple() for _ in range(seen[0])], 0, 0, True, ["档案中没有可归纳主题的词语"])
    n_docs = counts.shape[0]
    empty = [tuple() for _ in range(n_docs)]
    if n_docs < 2:
        return TopicModel([], empty, 0, 0, True, ["档案文档不足 2 篇，无法归纳主题"])
    counts, terms = _limit_terms(counts, counter.get_feature_names_out(), min_df=2 if n_docs >= 20 else 1,
                                 max_df=0.5 if n_docs >= 10 else 1.0, max_features=max_features)
    if counts.shape[1] == 0:
        return TopicModel([], empty, 0, 0, True, ["档案中没有在多篇文档中出现的词语，无法归纳主题"])
    matrix = TfidfTransformer(sublinear_tf=True, norm="l2").fit_transform(counts)
    n_topics = n_topics or default_topics(n_docs)
    n_topics = max(1, min(n_topics, matrix.shape[1], n_docs - 1))
    model = NMF(n_components=n_topics, init="nndsvda", solver="cd", beta_loss="frobenius", random_state=seed,
                max_iter=max_iter, tol=1e-4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    if not converged:
        notes.append(f"主题模型迭代 {model.n_iter_} 次后尚未完全收敛，结果仍可参考")
    components = model.components_
    sums = weights.sum(axis=1, keepdims=True)
    shares = np.divide(weights, sums, out=np.zeros_like(weights), where=sums > 0)
    has_topic = sums[:, 0] > 0
    dominant = np.where(has_topic, shares.argmax(axis=1), -1)
    mean_share = shares.sum(axis=0) / max(int(has_topic.sum()), 1)
    order = sorted(range(n_topics), key=lambda t: -float(mean_share[t]))
    topics = []
    for new_index, t in enumerate(order):
        top = np.argsort(-components[t])[:TOP_TERMS]
        top = [i for i in top if components[t, i] > 0]
        total = float(components[t, top].sum()) or 1.0
        topics.append(Topic(new_index, tuple(str(terms[i]) for i in top),
                            tuple(round(float(components[t, i]) / total, 4) for i in top),
                            round(float(mean_share[t]), 4), int((dominant == t).sum())))
    doc_topics = [tuple(round(float(row[t]), 4) for t in order) for row in shares]
    return TopicModel(topics, doc_topics, len(terms), int(model.n_iter_), converged, notes)


def _identity(tokens: Sequence[str]) -> Sequence[str]:
    return tokens


def _limit_terms(counts, terms, min_df: int, max_df: float, max_features: int):  # type: ignore[no-untyped-def]
    """Keep the terms found in at least ``min_df`` documents and at most ``max_df`` of them, the
    ``max_features`` most frequent of those (as TfidfVectorizer does, on a matrix already counted)."""
    import numpy as np

    df = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = (df >= min_df) & (df <= max_df * counts.shape[0])
    columns = np.flatnonzero(keep)
    if len(columns) > max_features:
        totals = np.asarray(counts[:, columns].sum(axis=0)).ravel()
        columns = np.sort(columns[np.argsort(-totals, kind="stable")[:max_features]])
    return counts[:, columns], terms[columns]


def year_shares(model: TopicModel, years: Sequence[int | None]) -> dict[int, tuple[float, ...]]:
    """Per year, the mean topic shares of that year's documents (documents without a year or without topic
    words are left out), so a topic's rise and fall can be followed."""
    sums: dict[int, list[float]] = {}
    counts: dict[int, int] = {}
    for row, year in enumerate(years):
        shares = model.doc_topics[row]
        if year is None or not shares or max(shares) <= 0:
            continue
        acc = sums.setdefault(year, [0.0] * len(shares))
        for t, value in enumerate(shares):
            acc[t] += value
        counts[year] = counts.get(year, 0) + 1
    return {year: tuple(round(v / counts[year], 4) for v in sums[year]) for year in sorted(sums)}

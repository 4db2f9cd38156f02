"""Text features: TF-IDF over word n-grams and character n-grams, side by side.

    >>> from migmap.tagging.features import TextFeatures
    >>> f = TextFeatures(min_df=1).fit(["refugees find jobs", "a bank for migrants"])
    >>> X = f.transform(["jobs for refugees"])
    >>> X.shape[0], X.dtype.name
    (1, 'float32')
    >>> "refugees" in f.word_terms_
    True

The first ``n_word_`` columns are the word n-grams (``word_terms_`` names them, which
is what the tagger shows as evidence); then character n-grams, which make the model
robust to spelling variants (organisation/organization, refugee/refugees); then one
column per framework code that is ``keyword_weight`` when one of the framework's
keywords for that code occurs (prior knowledge that helps rare codes).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

__all__ = ["TextFeatures"]


class TextFeatures(TransformerMixin, BaseEstimator):
    """Word (``word_ngram_range``) and character (``char_ngram_range``, within words) TF-IDF.

    Takes a sequence of strings, so scikit-learn's ``check_estimator`` (numeric arrays) does
    not apply; it follows the conventions (parameters stored as given, ``fit`` returns self,
    fitted attributes end in ``_``) and clones, pickles and sits in pipelines.
    """

    def __init__(
        self,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] = (2, 5),
        min_df: int = 2,
        max_word_features: int = 15000,
        max_char_features: int = 20000,
        keyword_weight: float = 0.0,
    ):
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.keyword_weight = keyword_weight

    def fit(self, X: Sequence[str], y=None) -> TextFeatures:
        X = _texts(X)
        self.word_ = TfidfVectorizer(
            ngram_range=tuple(self.word_ngram_range),
            min_df=self.min_df,
            max_df=0.9,
            sublinear_tf=True,
            max_features=self.max_word_features,
            dtype=np.float32,
            strip_accents="unicode",
        ).fit(X)
        self.char_ = (
            None
            if not self.max_char_features
            else TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=tuple(self.char_ngram_range),
                min_df=self.min_df,
                sublinear_tf=True,
                max_features=self.max_char_features,
                dtype=np.float32,
                lowercase=True,
                strip_accents="unicode",
            )
        )
        if self.char_ is not None:
            self.char_.fit(X)
        self.word_terms_ = self.word_.get_feature_names_out()
        self.n_word_ = len(self.word_terms_)
        self.keyword_columns_ = _keyword_columns() if self.keyword_weight else ()
        self.n_features_out_ = self.n_word_ + (len(self.char_.vocabulary_) if self.char_ is not None else 0) + len(self.keyword_columns_)
        # vocabulary strings are needed only to transform; the stop-word list is not
        for vec in (self.word_, self.char_):
            if vec is not None and hasattr(vec, "stop_words_"):
                vec.stop_words_ = None
        return self

    def transform(self, X: Sequence[str]) -> sparse.csr_matrix:
        check_is_fitted(self, "word_")
        X = _texts(X)
        blocks = [self.word_.transform(X)]
        if self.char_ is not None:
            blocks.append(self._char_tfidf(X))
        if self.keyword_columns_:
            blocks.append(self._keywords(X))
        if len(blocks) == 1:
            return blocks[0].astype(np.float32).tocsr()
        return sparse.hstack(blocks, format="csr", dtype=np.float32)

    def _char_tfidf(self, X: list[str]) -> sparse.csr_matrix:
        """Same result as ``self.char_.transform(X)``, several times faster: the character
        n-grams of a document are the sum of those of its words (``char_wb``), and each
        word's n-gram counts are computed once and cached."""
        vec = self.char_
        cache = self.__dict__.setdefault("_ngram_cache", {})
        if len(cache) > 500_000:
            cache.clear()
        preprocess = vec.build_preprocessor()
        vocab = vec.vocabulary_
        lo, hi = vec.ngram_range
        indptr = [0]
        indices: list[np.ndarray] = []
        values: list[np.ndarray] = []
        total = 0
        for doc in X:
            counts: dict[str, int] = {}
            for w in preprocess(doc).split():
                counts[w] = counts.get(w, 0) + 1
            for w, c in counts.items():
                entry = cache.get(w)
                if entry is None:
                    entry = cache[w] = _word_ngrams(w, lo, hi, vocab)
                if len(entry[0]):
                    indices.append(entry[0])
                    values.append(entry[1] * c)
                    total += len(entry[0])
            indptr.append(total)
        idx = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int32)
        val = np.concatenate(values) if values else np.zeros(0, dtype=np.float32)
        counts_matrix = sparse.csr_matrix((val, idx, np.asarray(indptr)), shape=(len(X), len(vocab)), dtype=np.float32)
        counts_matrix.sum_duplicates()
        return vec._tfidf.transform(counts_matrix, copy=False)

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_ngram_cache", None)
        return state

    def _keywords(self, X: list[str]) -> sparse.csr_matrix:
        """One column per framework code: ``keyword_weight`` when one of its keywords occurs."""
        from .keywords import keyword_hits

        position = {key: j for j, key in enumerate(self.keyword_columns_)}
        rows, cols = [], []
        for i, text in enumerate(X):
            for dim, codes in keyword_hits(text).items():
                for code in codes:
                    j = position.get((dim, code))
                    if j is not None:
                        rows.append(i)
                        cols.append(j)
        data = np.full(len(rows), self.keyword_weight, dtype=np.float32)
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(X), len(self.keyword_columns_)), dtype=np.float32)


def _word_ngrams(word: str, lo: int, hi: int, vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Vocabulary indices and counts of the ``char_wb`` n-grams of one word (as scikit-learn makes them)."""
    w = f" {word} "
    n_chars = len(w)
    counts: dict[int, int] = {}
    for n in range(lo, hi + 1):
        offset = 0
        grams = [w[offset : offset + n]]
        while offset + n < n_chars:
            offset += 1
            grams.append(w[offset : offset + n])
        for g in grams:
            j = vocab.get(g)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if offset == 0:  # a word shorter than n is counted once
            break
    return np.fromiter(counts.keys(), dtype=np.int32, count=len(counts)), np.fromiter(counts.values(), dtype=np.float32, count=len(counts))


def _keyword_columns() -> tuple[tuple[str, str], ...]:
    from migmap.framework import load_framework

    from .labels import PREDICTED_DIMENSIONS

    fw = load_framework()
    return tuple((dim, code) for dim in PREDICTED_DIMENSIONS for code in fw[dim].codes)


def _texts(X: Sequence[str]) -> list[str]:
    if isinstance(X, str):
        raise ValueError("expected a sequence of texts, got one string; wrap it in a list")
    return ["" if x is None else str(x) for x in X]

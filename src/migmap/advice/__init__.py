"""The entry-point advisor: where and how a public actor should engage business.

A :class:`Question` (who asks, for which stages and goals, where, for whom, with what
to offer) is answered from the knowledge base shipped in ``knowledge.yaml`` and the
evidence of the map, as a :class:`Recommendation` of ranked options::

    >>> from migmap import Database
    >>> from migmap.services.advice import advise
    >>> db = Database("sqlite:///:memory:"); _ = db.init(bundled=False)
    >>> rec = advise(db, asker="donor_agency", stages="arrival", goals="migrant_rights")
    >>> [o.rank for o in rec.options][:3]
    [1, 2, 3]
    >>> sorted(rec.to_dict())
    ['evidence_note', 'options', 'question', 'risks_to_watch']

Renderers for a table, Markdown, an HTML fragment, a printable HTML page and a PDF are
in :mod:`migmap.advice.render`. The JSON contract is documented in ``README.md`` here.
This package never opens a database: :mod:`migmap.services.advice` gathers the evidence.
"""

from .engine import Evidence, recommend
from .knowledge import KnowledgeBase, KnowledgeError, load_knowledge
from .model import Example, Gap, Option, Recommendation, WatchItem
from .question import InvalidQuestion, Question

__all__ = [
    "Evidence",
    "Example",
    "Gap",
    "InvalidQuestion",
    "KnowledgeBase",
    "KnowledgeError",
    "Option",
    "Question",
    "Recommendation",
    "WatchItem",
    "load_knowledge",
    "recommend",
]

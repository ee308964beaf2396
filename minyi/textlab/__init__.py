"""Framework-free text tools for 社情民意 reports (no Django imports here).

Modules: ``segment`` (rjieba + domain dictionary), ``minhash`` (near-duplicates),
``classify`` (category model), ``hot_topics`` (clusters and heat), ``quality``
(writing advice). CLI: ``python -m minyi.textlab --help``.
"""

from __future__ import annotations

from minyi.textlab.segment import add_words, index_terms, normalize, segment

__all__ = ["add_words", "index_terms", "normalize", "segment"]

"""Topics: pool schema and loading, suggester (fit/predict, evidence), ranking, analyser, edits.

``pool`` (schema, ``load_topic_pool``), ``suggester`` (``TopicSuggester``), ``ranking``
(``rank_topics``), ``analyser`` (``TopicAnalyzer``: the text stages end to end) and ``pool_edit``
(adding topics and examples in the app). Importing the package loads only the pool schema:
scikit-learn and spaCy come with ``suggester`` and ``analyser``, imported from their modules.
"""

from assistant.topics.pool import load_topic_pool, parse_topic_pool

__all__ = ["load_topic_pool", "parse_topic_pool"]

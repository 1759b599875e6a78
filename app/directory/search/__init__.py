"""The search index: one Whoosh index on disk holding published services only.

The rest of the app talks to it through the names below, so another engine could stand behind the
same calls. Inside: `schema` (fields and analysers), `documents` (what is indexed for a listing),
`sync` (opening, writing, and keeping the index in step with the database), `analysis` (each language's
analyser), `vocabulary` (the site's category words in every language), `textquery` (what a resident typed, as a
query), `query` (the filters they chose, and running it), `synonyms`, `synonym_store` and `synonym_edits` (the
per-language synonym lists and translators' edits to them), `spelling`, `facets`, `highlight`,
`fallback` (the database search used when the index is unavailable) and `requests` (a search as the
public page asks for it).
"""
from app.directory.search import synonym_store
from app.directory.search.crisis import is_crisis
from app.directory.search.highlight import highlight
from app.directory.search.query import Filters, Hit, Outcome, query_index, query_words
from app.directory.search.requests import SearchRequest, SearchResults, search_services
from app.directory.search.sync import IndexUnavailable, add_to_index, index_status, rebuild_index, remove_from_index
from app.directory.search.sync import init_app as _sync_init_app


def init_app(app):
    _sync_init_app(app)
    synonym_store.init_app(app)


__all__ = [
    "Filters",
    "Hit",
    "IndexUnavailable",
    "Outcome",
    "SearchRequest",
    "SearchResults",
    "add_to_index",
    "highlight",
    "index_status",
    "init_app",
    "is_crisis",
    "query_index",
    "query_words",
    "rebuild_index",
    "remove_from_index",
    "search_services",
]

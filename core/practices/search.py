"""Spanish full-text search of published practices, the same on SQLite and PostgreSQL.

Words are read the same way when a practice is stored and when it is searched: case folded,
accents stripped, then cut to their Spanish stems (Snowball), so "contratacion" finds
"contrataciones públicas". SQLite matches the stems in its FTS5 table; PostgreSQL in the GIN
index of their ``spanish`` text search vector. Every word of a query must match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

import snowballstemmer
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Practice, PracticeState, PracticeTheme, Secretariat

# A letter or digit run; the underscore is a separator, as FTS5's tokenizer reads it.
WORD = re.compile(r"[^\W_]+")
# Words of a query that count: more narrow nothing a reader would notice, and each costs a
# lookup in the index.
QUERY_WORDS = 16
# A longer word is no word of Spanish (nor a stem worth indexing).
WORD_LIMIT = 64


@cache
def _stemmer() -> Any:
    return snowballstemmer.stemmer("spanish")


def _plain(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stems(value: str) -> list[str]:
    """The Spanish stems of ``value``'s words, in order, without accents."""
    words = [word for word in WORD.findall(_plain(value)) if len(word) <= WORD_LIMIT]
    return [_plain(stem) for stem in _stemmer().stemWords(words)]


def search_document(parts: Iterable[str | None]) -> str:
    """What the index holds for a practice: the stems of its texts."""
    return " ".join(" ".join(stems(part)) for part in parts if part)


def query_stems(query: str) -> list[str]:
    """The stems a query looks for, each once, at most ``QUERY_WORDS`` of them."""
    return list(dict.fromkeys(stems(query[: QUERY_WORDS * (WORD_LIMIT + 1)])))[:QUERY_WORDS]


def matching(session: AsyncSession, words: list[str]) -> ColumnElement[bool]:
    """The condition that a practice holds every stem of ``words`` (not empty)."""
    if session.get_bind().dialect.name == "postgresql":
        spanish: ColumnElement[str] = literal_column("'spanish'")
        vector = func.to_tsvector(spanish, Practice.search_text)
        return vector.op("@@")(func.plainto_tsquery(spanish, " ".join(words)))
    # Each stem is letters and digits only, so quoting it makes it a plain FTS5 term.
    terms = " ".join(f'"{word}"' for word in words)
    found: Select[int] = (
        select(column("rowid", Integer))
        .select_from(table("practice_fts"))
        .where(text("practice_fts MATCH :terms").bindparams(terms=terms))
    )
    return Practice.id.in_(found)


def published(
    session: AsyncSession,
    *,
    query: str | None = None,
    priority: int | None = None,
    state: str | None = None,
    theme: PracticeTheme | None = None,
) -> Select[Practice] | None:
    """The published practices of every secretariat that match the query and filters, or
    None when the query holds no word to look for (nothing can match)."""
    found = select(Practice).where(Practice.state == PracticeState.PUBLISHED)
    if query is not None and query.strip():
        words = query_stems(query)
        if not words:
            return None
        found = found.where(matching(session, words))
    if priority is not None:
        found = found.where(Practice.pna_priority == priority)
    if theme is not None:
        found = found.where(Practice.theme == theme)
    if state is not None and state.strip():
        in_state = select(Secretariat.id).where(
            func.lower(Secretariat.state) == state.strip().casefold()
        )
        found = found.where(Practice.secretariat_id.in_(in_state))
    return found

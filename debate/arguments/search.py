"""French full-text search that ignores accents and plural forms, on SQLite (FTS5) and PostgreSQL.

The same normalizer runs on what is stored (`Argument.search_text`) and on what is searched:
lower case, no accents, a light French singular. SQLite indexes `search_text` in the FTS5 table
`arguments_fts` (kept in sync by triggers, see migration 0003); PostgreSQL stores
to_tsvector('french', search_text) in the generated column `search_fts`, with a GIN index
(migration 0012: computing the vector at query time made a common word cost ~0.1 ms per argument). Both are created by the migration, outside the models' metadata.
"""

import re
import unicodedata

import sqlalchemy as sa

from debate.arguments.models import Argument
from debate.extensions import db

FTS_TABLE = "arguments_fts"
PG_CONFIG = "french"
_WORD = re.compile(r"[a-z0-9]+")
# Words too common to tell arguments apart (used when looking for similar arguments).
STOP_WORDS = frozenset(
    "les des une est pas que qui pour par sur dans avec son ses aux leur leurs plus moins mais "
    "nous vous ils elles cette ces cet sont ont etre avoir fait faire tout tous toute toutes "
    "comme sans sous entre vers chez donc car elle lui the and".split()
)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c))
        .replace("œ", "oe")
        .replace("æ", "ae")
    )


def singular(word: str) -> str:
    """A light French singular: chevaux→cheval, antennes→antenne, prix→prix (short words untouched)."""
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx" and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str | None) -> list[str]:
    """The normalized words of a text."""
    return [singular(w) for w in _WORD.findall(_strip_accents((text or "").lower()))]


def normalize(text: str | None) -> str:
    """Text as stored in search_text and as searched."""
    return " ".join(words(text))


def search_text_for(title: str, body: str, sources: list[dict]) -> str:
    """What an argument is found by: its claim, its body, its sources' titles and publishers."""
    parts = [title, body] + [f"{s.get('title', '')} {s.get('publisher', '')}" for s in sources]
    return normalize(" ".join(parts))


def match_clause(query: str, *, any_word: bool = False):
    """A WHERE clause on Argument: matches every word of `query` (as a prefix), or with
    any_word=True any significant word (similar arguments). None when the query has no word."""

    terms = words(query)
    if any_word:
        terms = [t for t in terms if len(t) > 2 and t not in STOP_WORDS]
    terms = list(dict.fromkeys(terms))[:12]
    if not terms:
        return None
    if db.session.get_bind().dialect.name == "sqlite":
        # Terms are [a-z0-9] only, so quoting them keeps FTS5 syntax out of user input.
        if any_word:
            expression = " OR ".join(f'"{t}"' for t in terms)
        else:
            expression = " ".join(f'"{t}"*' for t in terms)
        ids = (
            sa.select(sa.literal_column("rowid"))
            .select_from(sa.table(FTS_TABLE))
            .where(sa.text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=expression))
        )
        return Argument.id.in_(ids)
    config = sa.literal_column(f"'{PG_CONFIG}'")
    expression = " | ".join(terms) if any_word else " & ".join(f"{t}:*" for t in terms)
    # The stored vector (migration 0012): to_tsvector('french', search_text), computed on write.
    vector = sa.literal_column(f"{Argument.__tablename__}.search_fts")
    return vector.op("@@")(sa.func.to_tsquery(config, expression))

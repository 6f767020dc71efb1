"""Words of the workshop notes: normalised for case and accents, counted, shared across groups, and
laid out as a word cloud (computed here, drawn as inline SVG by the template)."""

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

# French stop-words, already normalised (lower case, no accents); elisions (l', d', qu'…) are cut
# off by the tokenizer and short tokens are dropped anyway.
STOP_WORDS = frozenset(
    """
a ai aie aient aies ait alors au aucun aucune aupres auquel aussi autre autres aux avec avoir avons
bien car ce ceci cela celle celles celui cependant ces cet cette ceux chaque chez ci comme comment
dans de des donc dont du elle elles en encore entre est et etaient etait etant ete etre eu eux faire
fait faut font hors ici il ils je jusqu la le les leur leurs lors lui mais me meme memes mes moi moins
mon ne ni nos notre nous on ont ou par parce pas peu peut plus pour pourquoi qu quand que quel quelle
quelles quels qui quoi sa sans se selon ses si son sont sous sur ta te tes toi ton tous tout toute
toutes tres tu un une unes uns vers via vos votre vous y etc afin ainsi avant apres deja doit
doivent fois jamais leurs non oui sera seront soit sont tant toujours trop
""".split()
)
MIN_WORD = 3
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = " \t\n.,;:!?¡¿…'\"«»“”‘’()[]{}-–—/"


def normalise(text: str) -> str:
    """Lower case, no accents, single spaces, no punctuation at the ends: "  VIE PRIVÉE !" → "vie privee"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain.casefold()).strip(_EDGE_PUNCTUATION)


def words_of(text: str) -> list[str]:
    """The normalised words of a text that carry meaning (no stop-words, no one- or two-letter bits)."""
    return [w for w in _WORD.findall(normalise(text)) if len(w) >= MIN_WORD and w not in STOP_WORDS]


def _best_spelling(spellings: Counter, first_seen: dict) -> str:
    """The most frequent original spelling; on a tie the one with accents, then fewer capitals,
    then the first entered."""
    return max(
        spellings,
        key=lambda s: (
            spellings[s],
            sum(1 for c in s if ord(c) > 127),
            -sum(1 for c in s if c.isupper()),
            -first_seen[s],
        ),
    )


@dataclass
class Entry:
    """A word-cloud entry: its normalised key, how it is shown, how often it was given."""

    key: str
    label: str
    count: int


def frequencies(texts: list[str]) -> list[Entry]:
    """Icebreaker entries (each one a word or a short phrase) merged across case and accents, most
    frequent first, then alphabetical."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    first_seen: dict[str, int] = {}
    for index, text in enumerate(texts):
        key = normalise(text)
        if not key:
            continue
        shown = _SPACES.sub(" ", text.strip(_EDGE_PUNCTUATION))
        spellings[key][shown] += 1
        first_seen.setdefault(shown, index)
    entries = [
        Entry(key, _best_spelling(c, first_seen), sum(c.values())) for key, c in spellings.items()
    ]
    return sorted(entries, key=lambda e: (-e.count, e.key))


def shared_across_groups(notes) -> list[dict]:
    """Normalised words that appear in the notes of several groups: [{word, label, groups}], the most
    shared first. `notes` have `.group` and `.text`; notes without a group are left out."""
    groups_of: dict[str, set] = defaultdict(set)
    spellings: dict[str, Counter] = defaultdict(Counter)
    first_seen: dict[str, int] = {}
    for index, note in enumerate(notes):
        if not note.group:
            continue
        original = [w for w in _WORD.findall(note.text) if len(w) >= MIN_WORD]
        for word in original:
            key = normalise(word)
            if key in STOP_WORDS:
                continue
            groups_of[key].add(note.group)
            spellings[key][word.lower()] += 1
            first_seen.setdefault(word.lower(), index)
    shared = [
        {"word": key, "label": _best_spelling(spellings[key], first_seen), "groups": sorted(groups)}
        for key, groups in groups_of.items()
        if len(groups) > 1
    ]
    return sorted(shared, key=lambda s: (-len(s["groups"]), s["word"]))


@dataclass
class CloudWord:
    """A word placed in the cloud (SVG user units)."""

    label: str
    count: int
    x: float
    y: float
    size: int


@dataclass
class Cloud:
    width: int
    height: int
    words: list[CloudWord]


def cloud_layout(
    entries: list[Entry],
    *,
    width: int = 640,
    min_size: int = 14,
    max_size: int = 44,
    limit: int = 60,
) -> Cloud:
    """A deterministic layout: the most frequent words first, in centred rows that wrap within the
    width; the font size grows with the frequency."""
    entries = entries[:limit]
    if not entries:
        return Cloud(width, 0, [])
    low, high = min(e.count for e in entries), max(e.count for e in entries)
    gap, padding = 14, 8
    rows: list[list[tuple[Entry, int, float]]] = [[]]
    used = padding
    for entry in entries:
        ratio = (entry.count - low) / (high - low) if high > low else 1.0
        size = (
            round(min_size + (max_size - min_size) * ratio)
            if high > low
            else (min_size + max_size) // 2
        )
        # An estimate of the text's width (about 0.6 em per character for a sans-serif font).
        text_width = min(width - 2 * padding, 0.6 * size * len(entry.label))
        if rows[-1] and used + text_width > width - padding:
            rows.append([])
            used = padding
        rows[-1].append((entry, size, text_width))
        used += text_width + gap
    words, y = [], padding
    for row in rows:
        line = max(size for _e, size, _w in row)
        total = sum(w for _e, _s, w in row) + gap * (len(row) - 1)
        x = (width - total) / 2
        baseline = y + line
        for entry, size, text_width in row:
            words.append(
                CloudWord(
                    entry.label, entry.count, round(x + text_width / 2, 1), round(baseline, 1), size
                )
            )
            x += text_width + gap
        y = baseline + line * 0.3
    return Cloud(width, round(y + padding), words)

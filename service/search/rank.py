"""Ranking: how well each candidate address answers the query, as a score between 0 and 1 with a
short description of what matched. Pure: candidates in, ordered matches out.

The score weighs the words (fuzzy, with rapidfuzz), the house number, the flat and the
postcode. An exact house number always beats a near one on the same street, and historic
addresses rank below live ones.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from service.search.bias import Bias
from service.search.parse import Number, ParsedQuery
from service.search.vocabulary import query_alternatives

WORD_MATCH_FLOOR = 75.0  # rapidfuzz ratio below which two words are different words
MIN_SCORE = 0.45  # below this a candidate is not an answer
HIDDEN_FACTOR = 0.9  # a text matched through a part the suggestion does not show
_HISTORIC, _PROVISIONAL = 8, 6


@dataclass(slots=True)  # not frozen: a frozen one takes 3x as long to make, once a candidate
class Ranked:
    uprn: int
    score: float
    match: str
    order: tuple[Any, ...]  # natural order, for ties
    all_words_found: bool = True
    any_word_found: bool = True  # or none was asked
    nearness: float = 0.0  # ties: the caller's home area, then nearest its point, first


class WordMatcher:
    """Fuzzy word similarity for one query, remembered per address word: the candidates of a
    query share most of their words (the street, the town), so each word is compared once,
    giving its similarity to every query word at once."""

    def __init__(self, query: ParsedQuery) -> None:
        self.asked = [(w, query_alternatives(w), False) for w in query.words]
        if query.prefix:
            self.asked.append((query.prefix, (query.prefix,), True))
        self._known: dict[str, tuple[float, ...]] = {}
        self.texts: dict[tuple[str, ...], tuple[float, int, int, str]] = {}

    def similarities(self, word: str) -> tuple[float, ...]:
        """0..1 for each query word: how well it matches this address word."""
        found = self._known.get(word)
        if found is None:
            found = self._known[word] = tuple(
                self._compare(i, word) for i in range(len(self.asked))
            )
        return found

    def _compare(self, index: int, word: str) -> float:
        _, alternatives, prefix = self.asked[index]
        best = 0.0
        for alternative in alternatives:
            if word == alternative or (prefix and word.startswith(alternative)):
                return 1.0
            similarity = fuzz.ratio(alternative, word[: len(alternative)] if prefix else word)
            if similarity >= WORD_MATCH_FLOOR:
                best = max(best, similarity / 100)
        return best


def _coverage(named: list[bool]) -> float | None:
    """Share of a name's words the query named, once it names any; None when it names none.
    So 'mill lane' prefers Mill Lane to Mill Lane Close, and 'post office' prefers Post
    Office to The Old Post Office, while 'flat 2 windmill point' need name no street."""
    count = sum(named)
    return count / len(named) if count else None


def _phrase_share(vectors: list[tuple[float, ...]], pairs: int) -> float:
    """Share of the query's neighbouring word pairs found side by side in the address, so
    'west yarwich' prefers West Yarwich to West Bramdale, Yarwich (1 when nothing pairs)."""
    if pairs < 1:
        return 1.0
    neighbours = list(itertools.pairwise(vectors))
    found = sum(1 for i in range(pairs) if any(a[i] and b[i + 1] for a, b in neighbours))
    return found / pairs


def text_score(matcher: WordMatcher, candidate: Any) -> tuple[float, int, int, str]:
    """(0..1 score, words found, words asked, hidden words matched) for the words of the
    query: how well each is found, how much of the street and building names was named, and
    words in their order. Remembered per text: the houses of one street all read alike."""
    parts = (candidate["building"], candidate["sao_text"], candidate["street"], candidate["places"])
    hidden = hidden_words(candidate, parts)
    key = (*parts, *hidden) if hidden else parts
    known = matcher.texts.get(key)
    if known is None:
        known = matcher.texts[key] = _text_score(matcher, parts, hidden)
    return known


def hidden_words(candidate: Any, parts: tuple[str, ...]) -> tuple[str, ...]:
    """The words of a candidate the resident cannot see in its displayed address (a locality,
    a gazetteer-only town or name): none when the candidate carries no shown words (search's
    candidates; typeahead's carry them: service.search.completion.shown_text)."""
    shown = candidate.get("shown")
    if not shown:
        return ()
    seen = shown_words(shown)
    return tuple(sorted({w for part in parts for w in part.split() if w not in seen}))


def shown_words(shown: str) -> frozenset[str]:
    """The words of a ``shown_text``. (Not remembered: a cache of the addresses keystrokes
    list keeps thousands of small objects alive, and the garbage collector's pauses, every
    request's, grew with them: under the form mix its young collections took up to 10 ms.)"""
    return frozenset(shown.split())


def _text_score(
    matcher: WordMatcher, parts: tuple[str, ...], hidden: tuple[str, ...]
) -> tuple[float, int, int, str]:
    asked = len(matcher.asked)
    if not asked:
        return 1.0, 0, 0, ""
    building, flat, street, places = (
        [matcher.similarities(word) for word in part.split()] for part in parts
    )
    every = building + flat + street + places
    if hidden:
        words_of_every = [word for part in parts for word in part.split()]
        scores, unseen = _hidden_word_scores(every, words_of_every, set(hidden), asked)
    else:  # search's candidates, and every suggestion that shows all its words
        scores, unseen = [max((v[i] for v in every), default=0.0) for i in range(asked)], []
    named = [_coverage([any(vector) for vector in name]) for name in (building, street) if name]
    coverages = [share for share in named if share is not None]
    coverage = sum(coverages) / len(coverages) if coverages else 1.0
    words = sum(scores) / asked
    phrase = _phrase_share(every, asked - 1)
    found = sum(1 for score in scores if score > 0)
    score = 0.75 * words + 0.15 * coverage + 0.10 * phrase
    if not unseen:
        return score, found, asked, ""
    # What the resident cannot see ranks below what they can, and is named.
    note = f"matched {', '.join(unseen).upper()}, not shown in the address"
    return score * HIDDEN_FACTOR, found, asked, note


def _hidden_word_scores(
    vectors: list[tuple[float, ...]], words: list[str], hidden: set[str], asked: int
) -> tuple[list[float], list[str]]:
    """Each query word's best similarity, and the hidden words that matched better than
    anything shown (named in the match description)."""
    scores, unseen = [], []
    for i in range(asked):
        seen = max(
            (v[i] for v, w in zip(vectors, words, strict=True) if w not in hidden), default=0
        )
        best_hidden = max(
            ((v[i], w) for v, w in zip(vectors, words, strict=True) if w in hidden),
            default=(0.0, ""),
        )
        scores.append(max(seen, best_hidden[0]))
        if best_hidden[0] > seen:
            unseen.append(best_hidden[1])
    return scores, list(dict.fromkeys(unseen))


def house_score(asked: Number | None, candidate: Any, *, flat_asked: bool) -> tuple[float, str]:
    """0..1 for the house number, with a word for the match description."""
    number, suffix, end = candidate["pao_number"], candidate["pao_suffix"], candidate["pao_end"]
    if asked is None:
        return 1.0, ""
    if number is None and asked.value is not None:
        return _number_elsewhere(asked.value, candidate, flat_asked=flat_asked)
    if number == asked.value and (end or None) == asked.end:
        return _same_number(asked, suffix, candidate["sao_suffix"])
    if number is not None and end and number <= (asked.value or -1) <= end:
        return 0.8, "house number within range"
    return 0.0, "house number differs"


def _same_number(asked: Number, suffix: str, flat_suffix: str) -> tuple[float, str]:
    """The house number is right: how well its letter (12A) matches."""
    if suffix == asked.suffix:
        return 1.0, "house number exact"
    if asked.suffix and flat_suffix == asked.suffix:
        return 0.95, "house number and flat letter"
    return (0.7 if not asked.suffix else 0.6), "house number without its letter"


def _number_elsewhere(value: int, candidate: Any, *, flat_asked: bool) -> tuple[float, str]:
    """A number asked of an address with no house number may be its flat's ('15 Plantation
    Place' for Apartment 15) or be part of its name ('Garages adjacent to 38')."""
    if not flat_asked and candidate["sao_number"] == value and not candidate["sao_suffix"]:
        return 0.9, "number of the flat"
    if str(value) in candidate["building"].split():
        return 0.8, "number in the name"
    return 0.0, "house number differs"


def flat_score(asked: Number | None, candidate: Any) -> tuple[float, str]:
    """0..1 for the flat (secondary address), with a word for the match description."""
    number, suffix = candidate["sao_number"], candidate["sao_suffix"]
    has_flat = number is not None or bool(suffix) or bool(candidate["sao_text"])
    if asked is None:
        return (0.0, "") if has_flat else (1.0, "")
    if asked.value is None:
        same = suffix == asked.suffix or candidate["sao_text"].endswith(f" {asked.suffix}")
        return (1.0, "flat exact") if same else (0.0, "flat differs")
    if number == asked.value:
        return (1.0, "flat exact") if suffix == asked.suffix else (0.6, "flat without its letter")
    return 0.0, "flat differs"


def postcode_score(query: ParsedQuery, candidate: Any) -> tuple[float, str]:
    """A misremembered postcode still says where: the same sector or district counts."""
    key = candidate["postcode_key"] or ""
    if query.postcode:
        asked = query.postcode
        if key == asked.key:
            return 1.0, "postcode exact"
        if key[:-2] == asked.key[:-2]:
            return 0.7, "postcode sector"
        return (0.5, "outward code") if key[:-3] == asked.outward else (0.0, "postcode differs")
    if query.outward:
        same = key[:-3] == query.outward
        return (1.0, "outward code exact") if same else (0.0, "outward code differs")
    return 1.0, ""


def _weights(query: ParsedQuery) -> tuple[float, float, float, float]:
    """Weights of words, house number, flat and postcode: only what the query asked counts."""
    return (
        0.55 if (query.words or query.prefix) else 0.0,
        0.3 if query.house else 0.0,
        0.15 if query.flat else 0.0,
        0.25 if (query.postcode or query.outward) else 0.0,
    )


def score_candidate(query: ParsedQuery, matcher: WordMatcher, candidate: Any) -> Ranked:
    """The candidate's score and match description."""
    text, found, asked, hidden_note = text_score(matcher, candidate)
    house, house_note = house_score(query.house, candidate, flat_asked=query.flat is not None)
    flat, flat_note = flat_score(query.flat, candidate)
    postcode, postcode_note = postcode_score(query, candidate)
    weights = _weights(query)
    parts = (text, house, flat, postcode)
    score = sum(w * p for w, p in zip(weights, parts, strict=True)) / (sum(weights) or 1.0)
    score *= _status_factor(candidate["logical_status"])
    if query.flat is None and flat < 1.0:
        score *= 0.98  # no flat asked for: the building itself before its flats
    notes = [n for n in (house_note, flat_note, postcode_note, hidden_note) if n]
    if asked:
        notes.append(f"{found} of {asked} words")
    order = _natural_order(candidate)
    return Ranked(
        candidate["uprn"],
        round(score, 4),
        "; ".join(notes),
        order,
        all_words_found=found == asked,
        any_word_found=found > 0 or not asked,
    )


def _status_factor(status: int | None) -> float:
    """Historic addresses rank below live ones, provisional just below approved."""
    if status == _HISTORIC:
        return 0.9
    return 0.98 if status == _PROVISIONAL else 1.0


def _natural_order(candidate: Any) -> tuple[str, int]:
    """The natural order of addresses (service/addresses/sql/_natural_order.sql), for ties."""
    return candidate["natural_key"], candidate["uprn"]


def rank(
    query: ParsedQuery,
    candidates: Sequence[Any],
    *,
    minimum: float = MIN_SCORE,
    bias: Bias | None = None,
) -> list[Ranked]:
    """Candidates scoring at least ``minimum``, best first; ties home (``bias``) first, then
    in natural address order."""
    matcher = WordMatcher(query)
    ranked = [score_candidate(query, matcher, c) for c in candidates]
    if bias is not None and not bias.is_empty:
        for match, candidate in zip(ranked, candidates, strict=True):
            match.nearness = bias.nearness(candidate)
    return sorted((r for r in ranked if r.score >= minimum), key=best_first)


def best_first(match: Ranked) -> tuple[float, float, tuple[Any, ...]]:
    """Sort key: the highest score first; ties nearest home first, then in the natural order
    of addresses."""
    return -match.score, match.nearness, match.order


def merge_ranked(*lists: list[Ranked]) -> list[Ranked]:
    """Several ranked lists (of different candidates) as one, best first."""
    return sorted(itertools.chain(*lists), key=best_first)

"""Inflected names back to their dictionary form: Russian through pymorphy3, Kazakh by a few rules.

Russian and Kazakh news inflect site names: "Восточно-Аятского бокситового месторождения",
"на Жилянском месторождении", "Көгадыр кенішінде", "Шұғыл учаскесінде". Russian forms are
lemmatised with `pymorphy3 <https://github.com/no-plagiarism/pymorphy3>`_ and its Russian
dictionaries (an adjectival name is put in the nominative of the site word's gender, so the
oblique "Восточно-Аятского" becomes "Восточно-Аятское"). pymorphy3 has no Kazakh dictionary and
no maintained Kazakh morphology package is available offline, so Kazakh names lose their case and
possessive endings by the small documented rule set in :func:`kazakh_stem`.
"""

from __future__ import annotations

import re
from functools import cache

import pymorphy3

__all__ = ["is_russian_adjective", "kazakh_stem", "russian_gender", "russian_lemma", "russian_normal_form"]

# The grammatical gender of each Russian site word, by its stem: names agree with it.
_GENDERS = (
    ("месторожден", "neut"),
    ("рудник", "masc"),
    ("карьер", "masc"),
    ("завод", "masc"),
    ("комбинат", "masc"),
    ("участ", "masc"),
    ("уч.", "masc"),
    ("гок", "masc"),
    ("шахт", "femn"),
    ("рудн", "neut"),  # рудное поле
    ("пол", "neut"),
)
_CYRILLIC_WORD = re.compile(r"^[А-Яа-яЁё-]+$")


@cache
def _analyser() -> pymorphy3.MorphAnalyzer:
    """The Russian analyser, loaded once (about 0.3 s)."""
    return pymorphy3.MorphAnalyzer(lang="ru")


def russian_gender(noun: str) -> str:
    """The gender of a Russian site word ('месторождения' → 'neut'); masculine when unknown."""
    noun = noun.lower()
    return next((gender for stem, gender in _GENDERS if noun.startswith(stem)), "masc")


def _restore_case(lemma: str, original: str) -> str:
    """The lemma written with the capitals of the original: 'восточно-аятское' → 'Восточно-Аятское'."""
    if original.isupper() and len(original) > 1:
        original = original.title()
    parts = lemma.split("-")
    shapes = original.split("-")
    if len(parts) != len(shapes):
        return lemma[:1].upper() + lemma[1:] if original[:1].isupper() else lemma
    return "-".join(p[:1].upper() + p[1:] if s[:1].isupper() else p for p, s in zip(parts, shapes, strict=True))


@cache
def is_russian_adjective(word: str) -> bool:
    """Whether pymorphy3 reads a Russian word first as a full adjective ('Аятского' yes, 'Освоение' no)."""
    parses = _analyser().parse(word.lower()) if _CYRILLIC_WORD.match(word) else []
    return bool(parses) and "ADJF" in parses[0].tag


@cache
def russian_normal_form(word: str) -> str:
    """A Russian word's dictionary form, lower-case, by pymorphy3's first reading ('бокситового' → 'бокситовый').

    A word that is not Cyrillic comes back lower-cased, so that a caller can look any word up.
    """
    if not _CYRILLIC_WORD.match(word):
        return word.lower()
    return _analyser().parse(word.lower())[0].normal_form


@cache
def russian_lemma(word: str, gender: str = "neut") -> str:
    """A Russian adjectival name in the nominative singular of ``gender``; other words as written.

    A name already in the nominative keeps the gender it is written in: a list of deposits may
    hold a "Студенческий" (участок) beside a "Горностаевское" (месторождение).

    >>> russian_lemma("Восточно-Аятского")
    'Восточно-Аятское'
    >>> russian_lemma("Жилянском", "masc")
    'Жилянский'
    >>> russian_lemma("Студенческий", "neut")
    'Студенческий'
    >>> russian_lemma("Акбулак")
    'Акбулак'
    """
    if not _CYRILLIC_WORD.match(word) or len(word) < 4:
        return word
    for parse in _analyser().parse(word.lower()):
        if "ADJF" in parse.tag and "Apro" not in parse.tag:
            if {"nomn", "sing"} <= parse.tag.grammemes:
                break  # already a nominative: its own gender stands ("Студенческий" in a list of deposits)
            form = parse.inflect({"nomn", "sing", gender})
            if form is not None:
                return _restore_case(form.word, word)
            break
    return word.title() if word.isupper() else word


# Kazakh case endings, longest first. Kazakh is agglutinative and its endings follow vowel
# harmony, so each comes in back/front and voiced/voiceless variants: genitive
# -ның/-нің/-дың/-дің/-тың/-тің, ablative -нан/-нен/-дан/-ден/-тан/-тен, locative
# -нда/-нде/-да/-де/-та/-те, instrumental -мен/-бен/-пен, dative -ға/-ге/-қа/-ке, accusative -ны/-ні.
# Dative -на/-не and accusative -ды/-ді/-ты/-ті are left out: too many names end so ("Қарағанды").
_KAZAKH_CASES = (
    "ның", "нің", "дың", "дің", "тың", "тің",
    "нан", "нен", "дан", "ден", "тан", "тен",
    "нда", "нде", "мен", "бен", "пен",
    "да", "де", "та", "те",
    "ға", "ге", "қа", "ке", "ны", "ні",
)  # fmt: skip
#: A Kazakh stem keeps at least this many letters: short names are not cut to nothing.
_MIN_STEM = 4


def kazakh_stem(word: str) -> str:
    """A Kazakh name without one case ending: 'Көгадырда' → 'Көгадыр', 'Далабайдың' → 'Далабай'.

    Only case endings come off (never a final -ы/-і, which many names have: "Текелі"), at
    most one, and never leaving fewer than four letters; a nominative name comes back unchanged.

    >>> kazakh_stem("Көгадырда"), kazakh_stem("Далабайдың"), kazakh_stem("Текеліден")
    ('Көгадыр', 'Далабай', 'Текелі')
    >>> kazakh_stem("Шұғыл")
    'Шұғыл'
    """
    for ending in _KAZAKH_CASES:
        if word.lower().endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word

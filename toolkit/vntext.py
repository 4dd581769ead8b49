"""Vietnamese text handling for values read back from real files.

* ``clean`` / ``match_key`` normalise Unicode so names typed on different
  systems compare equal.
* ``sort_key`` orders strings in Vietnamese alphabetical order.
* ``detect_legacy`` / ``repair`` recognise and convert text typed in the
  legacy TCVN3 (ABC, ".VnTime") and VNI ("VNI-Times") font encodings, which
  show up as mojibake when read as Unicode.
* ``parse_number`` reads scores typed as text, with decimal comma or point.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from decimal import Decimal
from typing import Literal

__all__ = ["clean", "match_key", "sort_key", "detect_legacy", "repair", "parse_number", "vn_number"]

Encoding = Literal["tcvn3", "vni"]

# --------------------------------------------------------------------------
# Cleaning and comparison
# --------------------------------------------------------------------------

_SPACE_LIKE = {0x00A0: " ", 0x202F: " ", 0x2007: " "}
_ZERO_WIDTH = {c: None for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)}
_CLEAN_TABLE = {**_SPACE_LIKE, **_ZERO_WIDTH}
_WS_RUN = re.compile(r"\s+")


def clean(text: str) -> str:
    """NFC-normalise, turn odd spaces into spaces, drop zero-width chars, squeeze whitespace."""
    text = unicodedata.normalize("NFC", text.translate(_CLEAN_TABLE))
    return _WS_RUN.sub(" ", text).strip()


def match_key(text: str) -> str:
    """Key for comparing names, codes and headers: ``clean`` then ``casefold`` (kept NFC)."""
    return unicodedata.normalize("NFC", clean(text).casefold())


# --------------------------------------------------------------------------
# Vietnamese letters: tones and alphabet
# --------------------------------------------------------------------------

# Combining tone marks in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONE_MARKS = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_TONE_RANK = {mark: i + 1 for i, mark in enumerate(_TONE_MARKS)}

# The 12 vowel bases that carry tones.
_VOWELS = "aăâeêioôơuưy"

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}


def _with_tone(base: str, tone: int) -> str:
    """Precomposed ``base`` with tone ``tone`` (0 = none, 1..5 as in ``_TONE_MARKS``)."""
    return unicodedata.normalize("NFC", base + (_TONE_MARKS[tone - 1] if tone else ""))


def _split_letters(text: str) -> list[tuple[str, int, str]]:
    """Split casefolded NFD text into (base letter, tone, other marks) items."""
    items: list[tuple[str, int, str]] = []
    for ch in unicodedata.normalize("NFD", text.casefold()):
        if items and unicodedata.combining(ch):
            base, tone, extra = items[-1]
            if ch in _TONE_RANK and not tone:
                items[-1] = (base, _TONE_RANK[ch], extra)
            elif ch in "\u0306\u0302\u031b" and len(unicodedata.normalize("NFC", base + ch)) == 1:
                items[-1] = (unicodedata.normalize("NFC", base + ch), tone, extra)
            else:
                items[-1] = (base, tone, extra + ch)
        else:
            items.append((ch, 0, ""))
    return items


def sort_key(text: str) -> tuple:
    """Key for Vietnamese alphabetical order (a ă â b c d đ e ê …), case-insensitive.

    Strings compare letter by letter on base letters first; tones
    (none, huyền, hỏi, ngã, sắc, nặng) only break ties.
    Non-letters sort before letters, foreign letters after Vietnamese ones.
    """
    text = clean(text)
    items = _split_letters(text)
    primary = []
    for base, _, extra in items:
        if base in _LETTER_RANK:
            primary.append((1, _LETTER_RANK[base], extra))
        elif base.isalpha():
            primary.append((2, ord(base), extra))
        else:
            primary.append((0, ord(base), extra))
    tones = tuple(tone for _, tone, _ in items)
    return (tuple(primary), tones, text)


# --------------------------------------------------------------------------
# Syllable check: does a word look like a Vietnamese syllable?
# --------------------------------------------------------------------------

_INITIALS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
# Vowel nuclei (with glides), longest first.
_NUCLEI_OPEN_ONLY = (
    "iêu yêu oai oay oeo uây uôi ươi ươu uya uyu "
    "ai ao au ay âu ây eo êu iu oi ôi ơi ui ưi ưu ia ưa ua uơ y"
).split()
_NUCLEI_NEED_FINAL = "uyê iê yê uô ươ oă uâ ă â".split()
_NUCLEI_ANY = "oa oe oo uê uy a e ê i o ô ơ u ư".split()
_NUCLEI = sorted(_NUCLEI_OPEN_ONLY + _NUCLEI_NEED_FINAL + _NUCLEI_ANY, key=len, reverse=True)
_FINALS = "ch|nh|ng|c|k|m|n|p|t"
_SYLLABLE = re.compile(
    rf"(?:{_INITIALS})?(?P<nucleus>{'|'.join(_NUCLEI)})(?P<final>{_FINALS})?"
)
_STOP_FINALS = {"c", "ch", "k", "p", "t"}
_PALATAL_NUCLEI = {"a", "ê", "i", "oa", "uê", "uy"}
_ACRONYM = re.compile(r"[A-ZĐ]{2,}")
_WORD = re.compile(r"[^\W\d_]+")


def _tone_slots(nucleus: str, final: str) -> set[int]:
    """Positions in ``nucleus`` where the tone mark may stand."""
    modified = [i for i, ch in enumerate(nucleus) if ch in "ăâêôơư"]
    if modified:
        return {modified[-1]}
    if final or len(nucleus) == 1:
        return {len(nucleus) - 1}
    if nucleus in ("oa", "oe", "uy"):
        return {0, 1}  # old ("hòa") and new ("hoà") placement
    return {len(nucleus) - 2}  # not on a final glide: "mèo", "ngoài"


def _rhyme_ok(nucleus: str, final: str, tone: int, position: int | None) -> bool:
    """Check nucleus/final pairing, tone for stop finals and tone placement."""
    if (final and nucleus in _NUCLEI_OPEN_ONLY) or (not final and nucleus in _NUCLEI_NEED_FINAL):
        return False
    if final in ("ch", "nh") and nucleus not in _PALATAL_NUCLEI:
        return False
    if nucleus == "oo" and final not in ("c", "ng"):
        return False
    if final in _STOP_FINALS and tone not in (4, 5):  # only sắc or nặng
        return False
    return position is None or position in _tone_slots(nucleus, final)


def _is_syllable(word: str) -> bool:
    """True for a plausible Vietnamese syllable, or an acronym such as ĐBQH."""
    if _ACRONYM.fullmatch(word):
        return True
    items = _split_letters(word)
    toned = [i for i, (_, tone, _) in enumerate(items) if tone]
    if any(extra for _, _, extra in items) or len(toned) > 1:
        return False
    match = _SYLLABLE.fullmatch("".join(base for base, _, _ in items))
    if not match:
        return False
    tone = items[toned[0]][1] if toned else 0
    position = toned[0] - match.start("nucleus") if toned else None
    return _rhyme_ok(match["nucleus"], match["final"] or "", tone, position)


def _vietnamese_words(text: str) -> list[str]:
    """Words of ``text`` containing at least one non-ASCII letter."""
    return [w for w in _WORD.findall(text) if not w.isascii()]


# --------------------------------------------------------------------------
# Legacy encodings
# --------------------------------------------------------------------------
# Facts from TCVN 5712:1993 (VN3, the "ABC" .VnTime fonts) and the VNI-Windows
# font layout, as Windows shows the bytes (cp1252 / Latin-1).  Each row lists
# the codes for a lowercase vowel with tone none, huyền, hỏi, ngã, sắc, nặng.

_TCVN3_ROWS = {
    "a": "aµ¶·¸¹",
    "ă": "¨»¼½¾Æ",
    "â": "©ÇÈÉÊË",
    "e": "eÌÎÏÐÑ",
    "ê": "ªÒÓÔÕÖ",
    "i": "i×ØÜÝÞ",
    "o": "oßáâãä",
    "ô": "«åæçèé",
    "ơ": "¬êëìíî",
    "u": "uïñòóô",
    "ư": "\xadõö÷øù",
    "y": "yúûüýþ",
}
# Letters with a distinct code in both cases (toned capitals share the
# lowercase codes: .VnTimeH fonts draw them as capitals).
_TCVN3_SINGLES = {"đ": "®", "Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§"}

# VNI: base letter then a tone byte; some letters are a single byte.
# Suffixes per tone (none, huyền, hỏi, ngã, sắc, nặng) after a / e / o / u / y:
_VNI_TONES = ("", "ø", "û", "õ", "ù", "ï")
# ...and after the base of â/ê/ô (circumflex) and of ă (breve):
_VNI_CIRCUMFLEX = ("â", "à", "å", "ã", "á", "ä")
_VNI_BREVE = ("ê", "è", "ú", "ü", "é", "ë")
_VNI_BASES = {"a": "a", "ă": "a", "â": "a", "e": "e", "ê": "e", "o": "o", "ô": "o",
              "ơ": "ô", "i": "i", "u": "u", "ư": "ö", "y": "y"}
# Single-byte letters: i with tones, ỵ, đ.
_VNI_SINGLES = {"ì": "ì", "ỉ": "æ", "ĩ": "ó", "í": "í", "ị": "ò", "ỵ": "î", "đ": "ñ"}


def _tcvn3_encoder() -> dict[str, str]:
    """Unicode letter -> TCVN3 char, for every toned / modified letter."""
    table = dict(_TCVN3_SINGLES)
    for base, codes in _TCVN3_ROWS.items():
        for tone, code in enumerate(codes):
            letter = _with_tone(base, tone)
            if not letter.isascii():
                table[letter] = code
                table.setdefault(letter.upper(), code)
    return table


def _vni_code(base: str, tone: int) -> str:
    """VNI code (lowercase) for ``base`` (one of ``_VOWELS``) with ``tone``."""
    letter = _with_tone(base, tone)
    if letter in _VNI_SINGLES:
        return _VNI_SINGLES[letter]
    suffixes = _VNI_CIRCUMFLEX if base in "âêô" else _VNI_BREVE if base == "ă" else _VNI_TONES
    return _VNI_BASES[base] + suffixes[tone]


def _vni_encoder() -> dict[str, str]:
    """Unicode letter -> VNI string, for every toned / modified letter, both cases."""
    table = {"đ": "ñ", "Đ": "Ñ"}
    for base in _VOWELS:
        for tone in range(6):
            letter, code = _with_tone(base, tone), _vni_code(base, tone)
            if not letter.isascii():
                table[letter] = code
                table[letter.upper()] = code.upper()
    return table


#: Unicode letter -> TCVN3 char for all 134 Vietnamese non-ASCII letters.
TCVN3_ENCODE = _tcvn3_encoder()
#: Unicode letter -> VNI chars (one or two) for all 134 Vietnamese non-ASCII letters.
VNI_ENCODE = _vni_encoder()
_TCVN3_DECODE = str.maketrans({code: letter for letter, code in TCVN3_ENCODE.items()
                               if letter.islower() or letter in _TCVN3_SINGLES})
_VNI_DECODE = {code: letter for letter, code in VNI_ENCODE.items()}
_VNI_PATTERN = re.compile("|".join(map(re.escape, sorted(_VNI_DECODE, key=len, reverse=True))))

# Chars that legacy text, read as Unicode, can hold: Latin-1 plus cp1252 extras.
_LEGACY_RANGE = frozenset(map(chr, range(256))) | frozenset(
    bytes(range(0x80, 0xA0)).decode("cp1252", "ignore")
)
# Latin-1 letters that occur in ordinary Unicode Vietnamese (à á â ã è …).
_UNICODE_VIET = frozenset(
    ch for base in _VOWELS for tone in range(6)
    for ch in (_with_tone(base, tone), _with_tone(base, tone).upper()) if "\xc0" <= ch <= "\xff"
)
# Markers: codes of each encoding that never occur in Unicode Vietnamese.
_MARKERS: dict[Encoding, frozenset[str]] = {
    "tcvn3": frozenset(TCVN3_ENCODE.values()) - _UNICODE_VIET,
    "vni": frozenset("".join(VNI_ENCODE.values())) - _UNICODE_VIET - frozenset("aeouyAEOUY"),
}


def _decode(text: str, encoding: Encoding) -> str:
    """Convert legacy-encoded ``text`` to NFC Unicode (no plausibility check)."""
    if encoding == "tcvn3":
        return text.translate(_TCVN3_DECODE)
    return _VNI_PATTERN.sub(lambda m: _VNI_DECODE[m.group()], text)


def _odd_case(word: str) -> bool:
    """True if a lowercase letter is followed by an accented capital ("bÕn", "TrƯm")."""
    return any(a.islower() and b.isupper() and not b.isascii() for a, b in zip(word, word[1:]))


def _well_formed(word: str) -> bool:
    """A Vietnamese syllable (or acronym) cased lower, Title or UPPER."""
    natural_case = word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())
    return natural_case and _is_syllable(word)


def _score(text: str, encoding: Encoding) -> tuple[int, int] | None:
    """(marker count, -odd-case words) if ``text`` reads as ``encoding``, else None.

    The converted words must all be Vietnamese syllables.  Without marker
    chars, some original word must also be malformed as Unicode Vietnamese,
    so that valid Unicode Vietnamese is never converted.
    """
    converted = _decode(text, encoding)
    words = _vietnamese_words(converted)
    if converted == text or not words or not all(map(_is_syllable, words)):
        return None
    markers = sum(ch in _MARKERS[encoding] for ch in text)
    if not markers and all(map(_well_formed, _vietnamese_words(text))):
        return None
    return markers, -sum(map(_odd_case, words))


def detect_legacy(text: str) -> Encoding | None:
    """Name of the legacy encoding ``text`` was typed in, or None if it looks like Unicode."""
    text = clean(text)
    if not text or not set(text) <= _LEGACY_RANGE:
        return None
    scores = {enc: score for enc in ("tcvn3", "vni") if (score := _score(text, enc))}
    best = max(scores.values(), default=None)
    winners = [enc for enc, score in scores.items() if score == best]
    return winners[0] if len(winners) == 1 else None


def repair(text: str) -> tuple[str, Encoding | None]:
    """Return (clean NFC Unicode text, encoding converted from or None)."""
    encoding = detect_legacy(text)
    text = clean(text)
    return (clean(_decode(text, encoding)), encoding) if encoding else (text, None)


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def _finite(number: float) -> tuple[float | None, bool]:
    return (number, False) if math.isfinite(number) else (None, False)


def parse_number(value: object) -> tuple[float | None, bool]:
    """Read a score: returns (number or None, True if a decimal comma was converted).

    Accepts finite real numbers (not bool; Decimal and numpy scalars too) and strings like
    "9,5", "9.5", " 10 ".  Strings mixing separators ("1.234,5") or with
    several ("9,5,1") are rejected, as are NaN and infinities.
    """
    if type(value) is float:  # the usual cell value; skips the abstract-class checks below
        return _finite(value)
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, Decimal, str)):
        return None, False
    if not isinstance(value, str):
        try:
            return _finite(float(value))
        except OverflowError:
            return None, False
    text = clean(value)
    if not _NUMBER.fullmatch(text):
        return None, False
    number, _ = _finite(float(text.replace(",", ".")))
    return (number, "," in text) if number is not None else (None, False)


def vn_number(value: float) -> str:
    """A number as Vietnamese readers write it, shortest form with a decimal comma: 2,5 / 10 / 0,25."""
    return f"{value:g}".replace(".", ",")

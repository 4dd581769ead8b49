"""Tests for toolkit.vntext."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import unicodedata
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.vntext import (
    TCVN3_ENCODE,
    VNI_ENCODE,
    clean,
    detect_legacy,
    match_key,
    parse_number,
    repair,
    sort_key,
)

NFC = lambda s: unicodedata.normalize("NFC", s)  # noqa: E731
NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731

# The 67 lowercase Vietnamese letters outside ASCII, and their capitals.
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
LOWER = [NFC(v + t) for v in "aăâeêioôơuưy" for t in TONES if NFC(v + t) not in "aeioyu"] + ["đ"]
LETTERS = LOWER + [ch.upper() for ch in LOWER]
TCVN3_CAPITALS = set("ĂÂÊÔƠƯĐ")

PUBLIC_NAMES = [
    "Văn phòng Đoàn ĐBQH",
    "Sở Kế hoạch và Đầu tư",
    "Ủy ban Mặt trận Tổ quốc",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Thành phố Hồ Chí Minh",
    "Kho bạc Nhà nước",
    "Quỹ Đầu tư phát triển",
    "Cục Thuế",
    "Sở Tài chính",
    "Nguyễn Văn A",
]


def encode(text: str, table: dict[str, str]) -> str:
    """Unicode -> legacy, with the module's own table."""
    return "".join(table.get(ch, ch) for ch in NFC(text))


def tcvn3_expected(text: str) -> str:
    """What TCVN3 can give back: toned capitals come back lowercase."""
    return "".join(
        ch.lower() if ch in TCVN3_ENCODE and ch.isupper() and ch not in TCVN3_CAPITALS else ch
        for ch in text
    )


# --------------------------------------------------------------------- clean


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Hà\u00a0Nội  ", "Hà Nội"),
        ("Hà\u202fNội", "Hà Nội"),
        ("1\u20072", "1 2"),
        ("Cục\u200b Thuế\ufeff", "Cục Thuế"),
        ("\u2060Sở\u200c\u200d", "Sở"),
        ("Kho\tbạc \n\n Nhà   nước", "Kho bạc Nhà nước"),
        (NFD("Đắk Nông"), "Đắk Nông"),
        ("", ""),
        (" \u00a0 ", ""),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected
    assert clean(raw) == NFC(clean(raw))


def test_clean_composes_marks_split_by_zero_width_chars() -> None:
    assert clean("e\u200b\u0301") == "é"


# ----------------------------------------------------------------- match_key


def test_match_key_nfd_and_nfc_agree() -> None:
    nfc, nfd = NFC("Đắk Nông"), NFD("Đắk Nông")
    assert nfc != nfd
    assert match_key(nfc) == match_key(nfd) == "đắk nông"


@pytest.mark.parametrize("variant", ["ĐẮK NÔNG", "đắk nông", " Đắk\u00a0Nông ", NFD("ĐẮK  NÔNG")])
def test_match_key_folds_case_and_spaces(variant: str) -> None:
    assert match_key(variant) == match_key("Đắk Nông")


def test_match_key_keeps_tones_apart() -> None:
    assert match_key("Đắk") != match_key("Dak")
    assert match_key("Đ") == match_key("đ") != match_key("d")


# ------------------------------------------------------------------ sort_key


def test_sort_provinces() -> None:
    names = ["Đắk Nông", "Cà Mau", "Bạc Liêu", "Điện Biên", "An Giang", "Ăn"]
    expected = ["An Giang", "Ăn", "Bạc Liêu", "Cà Mau", "Đắk Nông", "Điện Biên"]
    assert sorted(names, key=sort_key) == expected
    assert sorted(names) != expected  # code-point order is wrong


def test_sort_alphabet_order() -> None:
    alphabet = list("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
    shuffled = alphabet[::-1]
    assert sorted(shuffled, key=sort_key) == alphabet
    assert sorted(shuffled) != alphabet


def test_sort_tone_is_secondary_in_dictionary_order() -> None:
    words = ["mạ", "má", "mã", "mả", "mà", "ma"]
    assert sorted(words, key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    # Base letters decide before tones do.
    assert sorted(["mb", "mạ", "man", "ma"], key=sort_key) == ["ma", "mạ", "man", "mb"]
    assert sorted(["Ô", "ơ", "o", "ố"], key=sort_key) == ["o", "Ô", "ố", "ơ"]


def test_sort_case_insensitive_and_nfd() -> None:
    assert sorted(["đào", "Dương", "ĐINH", "Dũng"], key=sort_key) == ["Dũng", "Dương", "đào", "ĐINH"]
    assert sort_key(NFD("Đắk Nông"))[:2] == sort_key("đắk nông")[:2]
    assert sort_key("Bà") < sort_key("bạ") < sort_key("BAN")


def test_sort_non_letters_first() -> None:
    assert sorted(["An Giang", "An", "1 An", "Anh"], key=sort_key) == ["1 An", "An", "An Giang", "Anh"]


# ------------------------------------------------------------ legacy: basics


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Hµ Néi", "Hà Nội"),
        ("Thµnh phè Hå ChÝ Minh", "Thành phố Hồ Chí Minh"),
        ("Bé Néi vô", "Bộ Nội vụ"),
        ("  Hµ\u00a0Néi ", "Hà Nội"),
        ("UBND tØnh §¾k N«ng", "UBND tỉnh Đắk Nông"),
        ("Së Tµi chÝnh", "Sở Tài chính"),
    ],
)
def test_tcvn3_examples(legacy: str, unicode: str) -> None:
    assert detect_legacy(legacy) == "tcvn3"
    assert repair(legacy) == (unicode, "tcvn3")


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Tieáng Vieät", "Tiếng Việt"),
        ("Haø Noäi", "Hà Nội"),
        ("Sôû Taøi chính", "Sở Tài chính"),
        ("Cuïc Thueá", "Cục Thuế"),
        ("ÑAÉK NOÂNG", "ĐẮK NÔNG"),
        ("Tieáng Anh", "Tiếng Anh"),  # no unambiguous marker: caught by syllable check
    ],
)
def test_vni_examples(legacy: str, unicode: str) -> None:
    assert detect_legacy(legacy) == "vni"
    assert repair(legacy) == (unicode, "vni")


@pytest.mark.parametrize(
    "text",
    PUBLIC_NAMES
    + ["OK", "café", "Café Trung Nguyên", "Tài chính", "Bé", "Hoà", "Khoa Tâm lý", "Müller", "Peña",
       "© 2024 Sở Tư pháp", "Tỷ lệ ½", "ĐBQH", "abc 123", "", "   ", "São Paulo", "Ñandú"],
)
def test_unicode_is_not_legacy(text: str) -> None:
    assert detect_legacy(text) is None
    assert repair(text) == (clean(text), None)


def test_repair_cleans_ordinary_text() -> None:
    assert repair(" Sở\u00a0Tài  chính\u200b ") == ("Sở Tài chính", None)
    assert repair(NFD("Cục Thuế")) == ("Cục Thuế", None)


# ------------------------------------------------------------- legacy: tables


def test_tables_cover_all_134_letters() -> None:
    assert len(LETTERS) == 134
    assert set(TCVN3_ENCODE) == set(LETTERS)
    assert set(VNI_ENCODE) == set(LETTERS)


def test_tcvn3_table_layout() -> None:
    # One code per letter, all in the Latin-1 upper half.
    assert all(len(code) == 1 and "\xa1" <= code <= "\xfe" for code in TCVN3_ENCODE.values())
    lower_codes = [TCVN3_ENCODE[ch] for ch in LOWER]
    assert len(set(lower_codes)) == len(lower_codes)
    # Toned capitals share lowercase codes; Ă Â Ê Ô Ơ Ư Đ have their own.
    for ch in LETTERS:
        if ch.isupper() and ch not in TCVN3_CAPITALS:
            assert TCVN3_ENCODE[ch] == TCVN3_ENCODE[ch.lower()]
    assert [TCVN3_ENCODE[c] for c in "ĂÂÊÔƠƯĐ"] == list("¡¢£¤¥¦§")
    assert [TCVN3_ENCODE[c] for c in "ăâêôơưđ"] == list("¨©ª«¬\xad®")
    assert [TCVN3_ENCODE[c] for c in "àảãáạ"] == list("µ¶·¸¹")


def test_vni_table_layout() -> None:
    assert len(set(VNI_ENCODE.values())) == len(VNI_ENCODE)
    assert VNI_ENCODE["à"] == "aø" and VNI_ENCODE["ệ"] == "eä" and VNI_ENCODE["ắ"] == "aé"
    assert VNI_ENCODE["ơ"] == "ô" and VNI_ENCODE["ư"] == "ö" and VNI_ENCODE["đ"] == "ñ"
    assert VNI_ENCODE["ợ"] == "ôï" and VNI_ENCODE["ỵ"] == "î" and VNI_ENCODE["ỉ"] == "æ"
    assert VNI_ENCODE["Ư"] == "Ö" and VNI_ENCODE["Đ"] == "Ñ" and VNI_ENCODE["Ấ"] == "AÁ"


def _iconv_tcvn(code: str) -> str | None:
    if not shutil.which("iconv"):
        return None
    done = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=code.encode("latin-1"),
                          capture_output=True, check=False)
    return done.stdout.decode() if done.returncode == 0 else None


def test_tcvn3_table_matches_iconv() -> None:
    """Cross-check against glibc's independent TCVN 5712 table, where available."""
    if _iconv_tcvn("a") != "a":
        if os.environ.get("CI"):
            pytest.fail("iconv with TCVN5712-1 (glibc) is missing; CI must have it")
        pytest.skip("iconv with TCVN5712-1 not available")
    for ch in LETTERS:
        if ch.islower() or ch in TCVN3_CAPITALS:
            assert _iconv_tcvn(TCVN3_ENCODE[ch]) == ch


def _carrier(letter: str) -> str:
    """A syllable holding ``letter`` ("tắn", "TẮN", "đan", "tỳ")."""
    if letter in "đĐ":
        word = letter + "an"
    elif NFD(letter.lower())[0] == "y":
        word = "t" + letter
    else:
        word = "t" + letter + "n"
    return word if letter.islower() else word.upper()


@pytest.mark.parametrize("letter", LETTERS)
def test_tcvn3_round_trip_every_letter(letter: str) -> None:
    text = "Hà Nội " + _carrier(letter)
    assert repair(encode(text, TCVN3_ENCODE)) == (tcvn3_expected(text), "tcvn3")


@pytest.mark.parametrize("letter", LETTERS)
def test_vni_round_trip_every_letter(letter: str) -> None:
    text = "Hà Nội " + _carrier(letter)
    assert repair(encode(text, VNI_ENCODE)) == (text, "vni")


def test_round_trip_whole_alphabet_in_one_string() -> None:
    text = " ".join(_carrier(ch) for ch in LETTERS)
    assert repair(encode(text, VNI_ENCODE)) == (text, "vni")
    assert repair(encode(text, TCVN3_ENCODE)) == (tcvn3_expected(text), "tcvn3")


@pytest.mark.parametrize("name", PUBLIC_NAMES[:4] + PUBLIC_NAMES[5:8])
def test_public_names_round_trip(name: str) -> None:
    tcvn3, vni = encode(name, TCVN3_ENCODE), encode(name, VNI_ENCODE)
    assert repair(tcvn3) == (tcvn3_expected(name), "tcvn3")
    assert repair(vni) == (name, "vni")


def test_public_names_concrete_encodings() -> None:
    assert encode("Văn phòng Đoàn ĐBQH", TCVN3_ENCODE) == "V¨n phßng §oµn §BQH"
    assert encode("Sở Kế hoạch và Đầu tư", VNI_ENCODE) == "Sôû Keá hoaïch vaø Ñaàu tö"
    assert repair("Héi Liªn hiÖp Phô n÷ tØnh") == ("Hội Liên hiệp Phụ nữ tỉnh", "tcvn3")
    assert repair("UÛy ban Maët traän Toå quoác") == ("Ủy ban Mặt trận Tổ quốc", "vni")


# -------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9,5", (9.5, True)),
        ("9.5", (9.5, False)),
        (" 10 ", (10.0, False)),
        ("\u00a09,25\u202f", (9.25, True)),
        ("-2", (-2.0, False)),
        ("+3", (3.0, False)),
        ("-0,5", (-0.5, True)),
        (7, (7.0, False)),
        (8.75, (8.75, False)),
        ("1.234,5", (None, False)),
        ("1,234.5", (None, False)),
        ("chín", (None, False)),
        ("", (None, False)),
        ("abc", (None, False)),
        ("9,5,1", (None, False)),
        ("1.2.3", (None, False)),
        ("9 5", (None, False)),
        ("nan", (None, False)),
        ("inf", (None, False)),
        ("1e3", (None, False)),
        ("٣", (None, False)),
        (float("nan"), (None, False)),
        (float("inf"), (None, False)),
        (-math.inf, (None, False)),
        (True, (None, False)),
        (False, (None, False)),
        (None, (None, False)),
        (10**400, (None, False)),
        ("1" * 400, (None, False)),
        (Fraction(19, 2), (9.5, False)),
        (Decimal("9.5"), (9.5, False)),
        (Decimal("NaN"), (None, False)),
    ],
)
def test_parse_number(value: object, expected: tuple[float | None, bool]) -> None:
    assert parse_number(value) == expected


def test_parse_number_numpy_scalars() -> None:
    import numpy as np  # installed with pandas
    assert parse_number(np.int64(7)) == (7.0, False)
    assert parse_number(np.float64(9.5)) == (9.5, False)
    assert parse_number(np.float64("nan")) == (None, False)
    assert parse_number(np.bool_(True)) == (None, False)


# ------------------------------------------------------------ property tests

INITIALS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng",
            "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]
RHYMES = """
a ai am an ang anh ao ap at au ay ac ach ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
i ia ich iêc iêm iên iêng iêp iêt iêu im in inh ip it iu
o oa oac oach oai oam oan oang oanh oap oat oay oăc oăm oăn oăng oăt oe oen oeo oet oi om on
ong oc op ot oong ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
u ua uân uâng uât uây uc uê uêch uênh ui um un ung uôc uôi uôm uôn uông uôt up ut uy uya uych
uyên uyêt uynh uyt uyu uơ ư ưa ưc ưi ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu y yêm yên yêt yêu
""".split()
STOP_FINALS = ("c", "ch", "p", "t")


def _place_tone(rhyme: str, tone: str) -> str:
    """Put the tone mark on the rhyme's main vowel."""
    vowels = [i for i, ch in enumerate(rhyme) if ch in "aăâeêioôơuưy"]
    marked = [i for i in vowels if rhyme[i] in "ăâêôơư"]
    if marked:
        pos = marked[-1]
    elif vowels[-1] != len(rhyme) - 1 or len(vowels) == 1:
        pos = vowels[-1]
    else:
        pos = vowels[-2]
    return NFC(rhyme[: pos + 1] + tone + rhyme[pos + 1 :])


@st.composite
def syllables(draw: st.DrawFn) -> str:
    rhyme = draw(st.sampled_from(RHYMES))
    tones = TONES if not rhyme.endswith(STOP_FINALS) else ("\u0301", "\u0323")
    word = draw(st.sampled_from(INITIALS)) + _place_tone(rhyme, draw(st.sampled_from(tones)))
    case = draw(st.sampled_from(["lower", "title", "upper"]))
    return word.upper() if case == "upper" else word.capitalize() if case == "title" else word


ascii_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
                      min_size=1, max_size=8)
vietnamese_text = st.lists(st.one_of(syllables(), syllables(), ascii_words), min_size=1, max_size=8).map(" ".join)


@given(st.text())
def test_clean_idempotent(text: str) -> None:
    assert clean(clean(text)) == clean(text)


@given(st.text())
def test_match_key_idempotent(text: str) -> None:
    assert match_key(match_key(text)) == match_key(text)


@given(st.text())
def test_match_key_same_for_nfc_and_nfd(text: str) -> None:
    assert match_key(NFC(text)) == match_key(NFD(text)) == match_key(text)


@given(vietnamese_text)
def test_match_key_same_for_nfc_and_nfd_vietnamese(text: str) -> None:
    assert match_key(NFD(text)) == match_key(text.upper()) == match_key(text.lower())


@given(st.text())
def test_repair_never_raises_and_returns_nfc(text: str) -> None:
    fixed, encoding = repair(text)
    assert fixed == NFC(fixed) == clean(fixed)
    assert encoding in (None, "tcvn3", "vni")
    assert detect_legacy(text) == encoding


@given(st.text(alphabet=st.characters(max_codepoint=0xFF)))
def test_repair_never_raises_on_latin1(text: str) -> None:
    fixed, _ = repair(text)
    assert fixed == NFC(fixed)


@settings(max_examples=500)
@given(vietnamese_text)
def test_unicode_vietnamese_is_never_detected(text: str) -> None:
    assert detect_legacy(text) is None
    assert repair(text) == (clean(text), None)


@given(vietnamese_text)
def test_vni_round_trip_property(text: str) -> None:
    legacy = encode(text, VNI_ENCODE)
    if legacy != text and detect_legacy(legacy) is not None:
        assert repair(legacy) == (clean(text), "vni")


@given(st.lists(syllables(), min_size=1, max_size=6).map(" ".join))
def test_sort_key_ignores_case_and_form(text: str) -> None:
    assert sort_key(text.upper())[:2] == sort_key(NFD(text.lower()))[:2]


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("TrÖm", ("Trệm", "tcvn3")),  # VNI would give "TrƯm": odd casing loses the tie
        ("dÎ dÎ", ("dẻ dẻ", "tcvn3")),
        ("xeá", ("xế", "vni")),  # TCVN3 would give "xeỏ": tone on a glide
        ("aï", ("ạ", "vni")),
        ("PHóT", ("PHúT", "tcvn3")),  # caps typed in .VnTimeH
        ("UBND TØNH", ("UBND TỉNH", "tcvn3")),
        ("bÕn", ("bến", "tcvn3")),
    ],
)
def test_ambiguous_chars_resolved_by_syllable_and_case_checks(legacy: str, expected: tuple) -> None:
    assert repair(legacy) == expected


@pytest.mark.parametrize("text", ["ö", "Ngöu", "lòng", "Tráng", "cét"])
def test_undecidable_text_is_left_alone(text: str) -> None:
    """Valid as Unicode, or valid in both encodings: no conversion."""
    assert repair(text) == (text, None)


@pytest.mark.parametrize("value, text", [(2.5, "2,5"), (10.0, "10"), (0.25, "0,25"), (-1.0, "-1"), (92.41, "92,41")])
def test_vn_number_writes_the_decimal_comma(value, text):
    from toolkit.vntext import vn_number
    assert vn_number(value) == text
    assert parse_number(text)[0] == value

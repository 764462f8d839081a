"""Text repair: TCVN3, VNI, mojibake, NFC and whitespace."""

import unicodedata

import pytest

from chodon_analysis.base.text import collapse_ws, detect_legacy, fold, normalize, repair, tcvn3_to_unicode

TCVN3 = {
    "ChØ tiªu": "Chỉ tiêu",
    "S¶n l\xadîng l\xad¬ng thùc cã h¹t": "Sản lượng lương thực có hạt",
    "Tû lÖ che phñ rõng": "Tỷ lệ che phủ rừng",
    "§¬n vÞ tÝnh": "Đơn vị tính",
    "KÕ ho¹ch n¨m 2024": "Kế hoạch năm 2024",
    "Quü tiÒn": "Quỹ tiền",
}
VNI = {
    "Vieät Nam": "Việt Nam",
    "Chæ tieâu": "Chỉ tiêu",
    "Saûn löôïng löông thöïc coù haït": "Sản lượng lương thực có hạt",
    "Ñôn vò tính": "Đơn vị tính",
    "Keá hoaïch": "Kế hoạch",
}


@pytest.mark.parametrize(("encoding", "legacy", "unicode"),
                         [("tcvn3", k, v) for k, v in TCVN3.items()] + [("vni", k, v) for k, v in VNI.items()])
def test_legacy_cells_convert_in_a_file_of_their_encoding(encoding, legacy, unicode):
    assert detect_legacy(list(TCVN3 if encoding == "tcvn3" else VNI)) == encoding
    assert repair(legacy, encoding) == (unicode, encoding)


def test_capital_font_text_comes_out_in_capitals():
    assert tcvn3_to_unicode("CHØ TI£U VÒ KINH TÕ") == "CHỈ TIÊU VỀ KINH TẾ"
    assert repair("CHØ TI£U VÒ KINH TÕ")[0] == "CHỈ TIÊU VỀ KINH TẾ"


def test_font_hint_decides_when_cells_are_unclear():
    # `tÊn` alone is not clearly TCVN3; the .VnTime font of the file says it is.
    assert detect_legacy(["tÊn"]) is None
    assert detect_legacy(["tÊn"], font_hint="tcvn3") == "tcvn3"
    assert repair("tÊn", "tcvn3")[0] == "tấn"


@pytest.mark.parametrize("text", ["Tỷ lệ hộ nghèo", "Đơn vị tính", "Kế hoạch năm 2024", "ha", "80,5%", "Tổng đàn trâu"])
def test_unicode_text_is_left_alone(text):
    assert detect_legacy([text]) is None
    assert repair(text) == (text, None)
    # in a file the cells or the font say is TCVN3 or VNI, a cell already in Unicode is left alone too
    assert repair(text, "tcvn3") == (text, None) and repair(text, "vni") == (text, None)


def test_utf8_mojibake_is_repaired():
    broken = "Chỉ tiêu".encode().decode("cp1252")
    assert repair(broken) == ("Chỉ tiêu", "utf8-mojibake")


def test_nfc_and_whitespace():
    decomposed = unicodedata.normalize("NFD", "Tỷ lệ  che\u00a0phủ\nrừng ")
    assert not unicodedata.is_normalized("NFC", decomposed)  # else the NFC check below proves nothing
    out = normalize(decomposed)
    assert out == "Tỷ lệ che phủ rừng"
    assert unicodedata.is_normalized("NFC", out)
    assert collapse_ws(" a\t\r\n b\u200b ") == "a b"


def test_fold_removes_diacritics_and_case():
    assert fold("Đơn vị tính") == "don vi tinh"
    assert fold("  KẾ   HOẠCH ") == "ke hoach"

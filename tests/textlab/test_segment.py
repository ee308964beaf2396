from __future__ import annotations

import re

from minyi.textlab.segment import add_words, index_terms, index_words, normalize, segment


def test_it_keeps_domain_words_whole() -> None:
    words = segment("特约信息员向专委会报送社情民意信息急报，九三学社界别委员批示")
    for term in ("特约信息员", "专委会", "社情民意信息", "急报", "九三学社", "界别", "批示"):
        assert term in words


def test_it_normalizes_full_width_and_whitespace() -> None:
    assert normalize("ＡＢＣ１２３\u3000 x\n\ty ") == "ABC123 x y"


def test_it_keeps_traditional_characters() -> None:
    assert normalize("醫療") == "醫療"


def test_it_drops_punctuation_tokens() -> None:
    assert segment("你好，世界！") == ["你好", "世界"]


def test_it_adds_organisation_names_at_runtime() -> None:
    name = "青石湾社区睦邻互助会"
    assert name not in segment(f"{name}反映情况")
    assert add_words([name, " "]) == 1
    assert name in segment(f"{name}反映情况")


def test_it_builds_index_terms_that_match_query_terms() -> None:
    doc = index_terms("关于加强养老服务的建议 ABC")
    assert "养老服务" in doc.split()
    assert "abc" in doc.split()  # lower-cased for case-insensitive matching
    # The same function on a query yields terms present in the document's terms.
    assert set(index_terms("养老服务").split()) <= set(doc.split())


def test_it_returns_nothing_for_blank_text() -> None:
    assert segment(" \n ") == []
    assert index_terms("") == ""


def test_it_gives_index_words_as_the_punctuation_free_runs_of_index_terms() -> None:
    text = "关于加强养老服务的建议：A-B_c、１２３号楼 İstanbul e-mail！"
    runs = [p for term in index_terms(text).split() for p in re.split(r"[\W_]+", term) if p]
    # index_words is the one-pass form that indexing uses; it must spell words alike.
    assert index_words(text) == runs
    assert index_words("  ") == []

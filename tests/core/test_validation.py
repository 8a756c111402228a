"""The shared input checks name the field in the reader's language, never half in one."""

from __future__ import annotations

import pytest
from django.utils import translation

from fawang.core.errors import InvalidInput
from fawang.core.validation import clean_choice, clean_text


def message(call: object) -> str:
    with pytest.raises(InvalidInput) as raised:
        call()  # type: ignore[operator]
    return str(raised.value)


def test_a_missing_field_is_named_in_chinese_by_default() -> None:
    assert message(lambda: clean_text(" ", 20, "name", "姓名")) == "请填写姓名。"
    assert message(lambda: clean_text("张" * 21, 20, "name", "姓名")) == "姓名不能超过20个字。"


def test_an_english_reader_gets_the_field_named_in_english() -> None:
    with translation.override("en"):
        assert message(lambda: clean_text("", 20, "name", "姓名")) == "Please fill in: Name."
        too_long = message(lambda: clean_text("张" * 21, 20, "name", "姓名"))
        assert too_long == "Name: at most 20 characters."
        unknown = message(lambda: clean_choice("x", ["a"], "phone", "联系电话"))
        assert unknown == "Not a valid choice for Phone: x"


def test_a_label_without_a_translation_keeps_the_whole_sentence_chinese() -> None:
    with translation.override("en"):
        assert message(lambda: clean_text("", 20, "x", "某个没有译文的栏目")) == (
            "请填写某个没有译文的栏目。"
        )

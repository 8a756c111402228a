from __future__ import annotations

import pytest

from fawang.indicators.formula import FormulaError, evaluate, parse

KNOWN = {"a.done": "flow", "a.due": "flow", "a.stock": "stock"}


def test_pct_of_two_counters() -> None:
    formula = parse("pct(a.done, a.due)", KNOWN)
    assert formula.counters == {"a.done", "a.due"}
    assert evaluate(formula, {"a.done": 3, "a.due": 4}, None) == 75


def test_zero_denominator_gives_no_value() -> None:
    assert evaluate(parse("pct(a.done, a.due)", KNOWN), {"a.done": 0, "a.due": 0}, None) is None


def test_per_100k_uses_population() -> None:
    formula = parse("per_100k(latest(a.stock))", KNOWN)
    assert evaluate(formula, {"a.stock": 11}, 1_000_000) == pytest.approx(1.1)
    assert evaluate(formula, {"a.stock": 11}, None) is None


def test_max_takes_the_larger_ratio_to_threshold() -> None:
    formula = parse("max(pct(a.done, a.due) / 1, a.done / 50)", KNOWN)
    assert evaluate(formula, {"a.done": 60, "a.due": 100_000}, None) == pytest.approx(1.2)


def test_unknown_counter_is_rejected_with_its_name() -> None:
    with pytest.raises(FormulaError, match=r"未知的计数项 a\.missing"):
        parse("pct(a.missing, a.due)", KNOWN)


@pytest.mark.parametrize(
    "text",
    ["__import__('os').system('id')", "a.done.__class__", "open('x')", "[a.done]", "a.done ** 2"],
)
def test_anything_outside_the_whitelist_is_rejected(text: str) -> None:
    with pytest.raises(FormulaError):
        parse(text, KNOWN)


def test_syntax_error_is_reported_in_chinese() -> None:
    with pytest.raises(FormulaError, match="语法错误"):
        parse("pct(a.done,", KNOWN)

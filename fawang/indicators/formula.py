"""A small, safe expression language for indicator formulas, checked when a pack loads.

    pct(workorders.web_claimed_in_time, workorders.web_created)   # 100 × a ÷ b
    ratio(a, b) · per_10k(a) · per_100k(a) · latest(stock) · sum(a, …) · max(a, …) · a + b * 2

Names are counter codes (``module.counter``). The text is parsed with :mod:`ast` and only the
node types below are accepted: no attribute access on objects, no calls but the whitelist.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from fawang.core.errors import InvalidInput

FUNCTIONS = ("pct", "ratio", "per_10k", "per_100k", "latest", "sum", "max")
_ARITY = {"pct": 2, "ratio": 2, "per_10k": 1, "per_100k": 1, "latest": 1}


class FormulaError(InvalidInput):
    code = "bad_formula"


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.expr
    counters: frozenset[str]


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head else None
    return None


def _check(node: ast.expr, known: Mapping[str, str], found: set[str], text: str) -> None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
        _check(node.left, known, found, text)
        _check(node.right, known, found, text)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        _check(node.operand, known, found, text)
        return
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS or node.keywords:
            raise FormulaError(
                f"公式“{text}”使用了不支持的函数；可用函数：{'、'.join(FUNCTIONS)}", field="formula"
            )
        arity = _ARITY.get(name)
        if (arity is not None and len(node.args) != arity) or not node.args:
            raise FormulaError(f"公式“{text}”中 {name} 的参数个数不对", field="formula")
        for argument in node.args:
            _check(argument, known, found, text)
        return
    code = _dotted(node) if isinstance(node, ast.Name | ast.Attribute) else None
    if code is not None and "." in code:
        if code not in known:
            raise FormulaError(f"公式“{text}”引用了未知的计数项 {code}", field="formula")
        found.add(code)
        return
    raise FormulaError(f"公式“{text}”含有不允许的写法", field="formula")


def parse(text: str, known: Mapping[str, str]) -> Formula:
    """Parse and check ``text``; ``known`` maps each available counter code to its kind."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise FormulaError(f"公式“{text}”语法错误", field="formula") from None
    found: set[str] = set()
    _check(tree, known, found, text)
    return Formula(text=text, tree=tree, counters=frozenset(found))


def _divide(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def evaluate(formula: Formula, values: Mapping[str, float], population: int | None) -> float | None:
    """The formula's value; None when a denominator is zero or a population is unknown."""

    def per(scale: int) -> Callable[[float | None], float | None]:
        return lambda a: None if a is None or not population else a * scale / population

    functions: dict[str, Callable[..., float | None]] = {
        "pct": lambda a, b: None if (q := _divide(a, b)) is None else 100 * q,
        "ratio": _divide,
        "per_10k": per(10_000),
        "per_100k": per(100_000),
        "latest": lambda a: a,
        "sum": lambda *args: None if None in args else float(sum(args)),
        # "at least 1% or at least 50 cases": the larger of two ratios to their thresholds.
        "max": lambda *args: max((a for a in args if a is not None), default=None),
    }

    def walk(node: ast.expr) -> float | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.UnaryOp):
            inner = walk(node.operand)
            return None if inner is None else -inner
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            return _divide(left, right)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            return functions[node.func.id](*(walk(a) for a in node.args))
        return float(values.get(_dotted(node) or "", 0.0))

    return walk(formula.tree)

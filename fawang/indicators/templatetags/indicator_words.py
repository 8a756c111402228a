"""``{{ indicator.formula|formula_text }}`` and ``{{ indicator.passage|passage_text }}``."""

from __future__ import annotations

from django import template

from fawang.indicators import wording

register = template.Library()
register.filter("formula_text", wording.formula_text)
register.filter("passage_text", wording.passage_text)

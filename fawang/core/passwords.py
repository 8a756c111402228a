from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """A password mixes letters and digits (and is therefore not a word or a date alone)."""

    def validate(self, password: str, user: Any = None) -> None:
        has_letter = any(c.isalpha() for c in password)
        has_digit = any(c.isdigit() for c in password)
        if not (has_letter and has_digit):
            raise ValidationError("密码须同时包含字母和数字。", code="password_classes")

    def get_help_text(self) -> str:
        return "密码须同时包含字母和数字。"

from __future__ import annotations

from typing import Any

from django import forms

from fawang.indicators.models import Indicator


class ReportValueForm(forms.Form):
    indicator = forms.ModelChoiceField(queryset=Indicator.objects.none(), label="指标")
    region = forms.ChoiceField(label="填报地区")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    value = forms.FloatField(label="数值")
    note = forms.CharField(label="说明（数据来源）", max_length=500, required=False)

    def __init__(self, *args: Any, indicators: Any, regions: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]
        self.fields["region"].choices = regions  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审核结论", choices=[("1", "通过"), ("0", "退回")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label="审核意见", max_length=500, required=False)


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label="完成进度(%)", min_value=0, max_value=100)
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(label="附件", required=False)


class TargetForm(forms.Form):
    target = forms.FloatField(label="目标值")
    milestones = forms.CharField(
        label="阶段目标（如 2026=70，每行一个）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_milestones(self) -> dict[str, float]:
        result: dict[str, float] = {}
        for line in self.cleaned_data["milestones"].splitlines():
            if not line.strip():
                continue
            year, _, value = line.partition("=")
            try:
                result[str(int(year.strip()))] = float(value.strip())
            except ValueError:
                raise forms.ValidationError("格式应为“年份=目标值”，每行一个。") from None
        return result

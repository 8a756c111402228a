"""Forms of the mediation pages. They only collect; the services check the values."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Region, RegionLevel
from fawang.mediation.models import (
    AgreementForm as AgreementKind,
)
from fawang.mediation.models import (
    DisputeType,
    Performance,
    Referral,
)

TEXTAREA = forms.Textarea(attrs={"rows": 4})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def township_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Townships grouped by district (<optgroup>)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).select_related("parent")
    for township in townships.order_by("code"):
        district = township.parent.name if township.parent else ""
        groups.setdefault(district, []).append((township.code, township.name))
    return list(groups.items())


class ApplyForm(forms.Form):
    dispute_type = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeType.choices)
    township = forms.ChoiceField(label=_("纠纷发生在哪个街道（乡镇）？"), choices=())
    place = forms.CharField(label=_("具体地点"), max_length=200, required=False)
    facts = forms.CharField(
        label=_("纠纷经过"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("人民调解不收费，调解遵循自愿原则。"),
    )
    claims = forms.CharField(label=_("您的请求"), widget=TEXTAREA, required=False)
    amount = forms.DecimalField(label=_("涉及金额（元）"), required=False, min_value=0)
    applicant_name = forms.CharField(label=_("您的姓名"), max_length=100)
    applicant_phone = forms.CharField(
        label=_("您的手机号码"),
        max_length=40,
        required=False,
        help_text=_("不填则使用账户手机号。"),
    )
    applicant_id_number = forms.CharField(label=_("您的身份证号码"), max_length=30, required=False)
    respondent_name = forms.CharField(label=_("对方姓名或名称"), max_length=100)
    respondent_phone = forms.CharField(label=_("对方手机号码"), max_length=40, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = township_choices()  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class AssignForm(forms.Form):
    mediators = forms.MultipleChoiceField(
        label=_("承办调解员"), choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, mediators: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["mediators"].choices = mediators  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("调解时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    place = forms.CharField(label=_("调解地点"), max_length=200, required=False)
    video_link = forms.CharField(label=_("视频调解链接"), max_length=200, required=False)
    attendance = forms.CharField(label=_("到场人员"), max_length=500)
    notes = forms.CharField(label=_("调解记录"), widget=TEXTAREA)


class AgreementEntryForm(forms.Form):
    form = forms.ChoiceField(label=_("协议形式"), choices=AgreementKind.choices)
    facts = forms.CharField(label=_("纠纷主要事实"), widget=TEXTAREA)
    issues = forms.CharField(label=_("争议事项"), widget=TEXTAREA)
    # 人民调解法 第二十九条: the agreement "可以载明" each item; this one the platform leaves optional.
    responsibilities = forms.CharField(
        label=_("各方当事人的责任"),
        widget=TEXTAREA,
        required=False,
        help_text="《人民调解法》第二十九条可以载明的事项；本平台不强制填写，其余各项必填。",
    )
    terms = forms.CharField(label=_("协议内容"), widget=TEXTAREA)
    # 人民调解法 第二十八条: an oral agreement only when the parties consider a written one needless.
    parties_chose_oral = forms.BooleanField(
        label=_("当事人认为无需制作调解协议书（口头协议）"), required=False
    )
    performance_manner = forms.CharField(label=_("履行方式"), max_length=500)
    performance_deadline = forms.DateField(label=_("履行期限"), widget=DATE)
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE)


class FailureForm(forms.Form):
    reason = forms.CharField(label=_("调解不成原因"), widget=TEXTAREA)
    referral = forms.ChoiceField(label=_("后续去向"), choices=Referral.choices)


class FollowUpForm(forms.Form):
    performance = forms.ChoiceField(label=_("履行情况"), choices=Performance.choices)
    note = forms.CharField(label=_("回访记录"), widget=TEXTAREA, required=False)


class ConfirmationForm(forms.Form):
    court = forms.CharField(label=_("人民法院"), max_length=100)
    requested_on = forms.DateField(label=_("申请日期"), widget=DATE)


class ConfirmationAnswerForm(forms.Form):
    granted = forms.TypedChoiceField(
        label=_("法院裁定"),
        choices=[("1", _("确认协议有效")), ("0", _("驳回申请"))],
        coerce=lambda v: v == "1",
    )
    answered_on = forms.DateField(label=_("裁定日期"), widget=DATE)
    court_ref = forms.CharField(label=_("法院案号"), max_length=64, required=False)


class ScreeningDoneForm(forms.Form):
    notes = forms.CharField(label=_("排查情况"), widget=TEXTAREA)
    risk_description = forms.CharField(
        label=_("发现的风险隐患（可不填）"), max_length=1000, required=False
    )
    risk_type = forms.ChoiceField(
        label=_("风险的纠纷类型"), choices=DisputeType.choices, required=False
    )
    risk_parties = forms.CharField(label=_("涉及人员"), max_length=200, required=False)


class KeyPeriodForm(forms.Form):
    name = forms.CharField(label=_("重点时段名称"), max_length=100)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)

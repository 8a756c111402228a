from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fawang.core.taxonomy import Topic


class CitizenLoginForm(forms.Form):
    phone = forms.CharField(label=_("手机号码"), max_length=20)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, max_length=128)


class CitizenRegistrationForm(forms.Form):
    phone = forms.CharField(label=_("手机号码"), max_length=20)
    sms_code = forms.CharField(label=_("短信验证码"), max_length=10, required=False)
    full_name = forms.CharField(label=_("姓名"), max_length=200, required=False)
    password = forms.CharField(
        label=_("密码"),
        widget=forms.PasswordInput,
        max_length=128,
        required=False,
        help_text=_("至少10位，须同时包含字母和数字。"),
    )


class CitizenProfileForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=200, required=False)
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=30,
        required=False,
        help_text=_("不填写则保留原号码。"),
    )


# --- requests (诉求) ------------------------------------------------------------------------

# What a citizen sees when choosing a business line: what they need, then the official name.
CITIZEN_BUSINESS_LINES = [
    ("consultation", _("我有法律问题想问一问（法律咨询）")),
    ("legal_aid", _("我请不起律师，想申请免费的法律帮助（法律援助）")),
    ("mediation", _("我和别人闹矛盾了，想请人帮忙调解（人民调解）")),
    ("notarization", _("我要办理公证（公证）")),
    ("appraisal", _("我需要做司法鉴定（司法鉴定）")),
    ("arbitration", _("合同、商事纠纷想申请仲裁（仲裁）")),
    ("complaint", _("我要投诉法律服务人员或机构（投诉）")),
    ("other", _("其他事项")),
]
RATING_CHOICES = [
    ("5", _("5星 非常满意")),
    ("4", _("4星 满意")),
    ("3", _("3星 一般")),
    ("2", _("2星 不满意")),
    ("1", _("1星 非常不满意")),
]
RegionChoices = list[tuple[str, Any]]


def translated(choices: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Model choices carry Chinese labels; translate them for the page (msgid = the label)."""
    return [(value, _(str(label))) for value, label in choices]


def set_choices(form: forms.Form, name: str, choices: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def topic_choices() -> list[tuple[str, Any]]:
    return [("", _("请选择")), *translated(Topic.choices)]


class RequestForm(forms.Form):
    """A citizen's request on the web. The services check the values; the form only collects."""

    business_line = forms.ChoiceField(
        label=_("您需要哪类服务？"), choices=CITIZEN_BUSINESS_LINES, widget=forms.RadioSelect
    )
    topic = forms.ChoiceField(label=_("问题属于哪一类？"), choices=())
    district = forms.ChoiceField(label=_("事情发生在哪个区（县）？"), choices=())
    township = forms.ChoiceField(
        label=_("街道（乡镇）"),
        choices=(),
        required=False,
        help_text=_("不清楚可以不选。换了区以后，请点“更新街道列表”。"),
        error_messages={"invalid_choice": _("所选街道（乡镇）不在该区内，请重新选择。")},
    )
    title = forms.CharField(label=_("事项（一句话概括，可不填）"), required=False, max_length=200)
    description = forms.CharField(
        label=_("请说说您遇到的情况和想得到的帮助"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("最多5000字。请不要填写身份证号码等无关的个人信息。"),
    )
    requester_name = forms.CharField(label=_("您的姓名"), max_length=200)
    phone = forms.CharField(
        label=_("联系电话（手机号码）"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(
        self,
        *args: Any,
        districts: RegionChoices,
        townships: RegionChoices,
        account_phone: str = "",
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        phone = self.fields["phone"]
        if account_phone:
            phone.help_text = _("不填写则使用您账户的手机号码 %(phone)s。") % {
                "phone": account_phone
            }
        else:
            phone.required = True
        set_choices(self, "topic", topic_choices())
        set_choices(self, "district", [("", _("请选择")), *districts])
        set_choices(self, "township", [("", _("不清楚 / 不选")), *townships])
        if not self.is_bound and not self.initial.get("idempotency_key"):
            self.initial["idempotency_key"] = uuid.uuid4().hex

    @property
    def region_code(self) -> str:
        return self.cleaned_data.get("township") or self.cleaned_data["district"]


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("工单编号"), max_length=30, help_text=_("例如 GF20261123000042")
    )
    phone = forms.CharField(
        label=_("提交时留的手机号码"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("您对答复满意吗？"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "stars"}),
        error_messages={"required": _("请选择满意程度。")},
    )
    comment = forms.CharField(
        label=_("评价意见（可不填）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ComplaintForm(forms.Form):
    text = forms.CharField(
        label=_("请说明对答复哪里不满意"), widget=forms.Textarea(attrs={"rows": 4})
    )

"""Work-order forms: the citizen's request, the staff intake, the order page's actions, filters."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, InstitutionKind
from fawang.core.taxonomy import LANGUAGES, SpecialGroup, Topic
from fawang.core.web import set_choices, translated
from fawang.workorders.models import (
    CLOSE_REASON_FROM,
    BusinessLine,
    Channel,
    CloseReason,
    ReferralSource,
    Status,
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


def topic_choices() -> list[tuple[str, Any]]:
    return [("", _("请选择")), *translated(Topic.choices)]


def language_choices() -> list[tuple[str, Any]]:
    return [("", _("普通话（无特殊需求）"))] + [
        (code, _(label)) for code, label in LANGUAGES.items() if code != "zh"
    ]


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
    special_groups = forms.MultipleChoiceField(
        label=_(
            "您是否属于以下群体？（可多选，老年人、残疾人、未成年人、军人军属、低收入群体优先办理）"
        ),
        required=False,
        choices=SpecialGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    home_visit = forms.BooleanField(
        label=_("行动不便，希望工作人员上门服务"),
        required=False,
    )
    language = forms.ChoiceField(
        label=_("语言需求"),
        required=False,
        choices=(),
        help_text=_("需要用其他语言或手语沟通的，请选择；我们会安排会该语言的工作人员。"),
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
        set_choices(self, "language", language_choices())
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


# --- work orders ----------------------------------------------------------------------------

SPECIAL_GROUPS = SpecialGroup.choices
Choices = list[tuple[Any, Any]]
# Long pickers get a type-to-filter box (static/fawang/searchable_select.js, Tom Select).
SEARCHABLE = {"data-searchable": ""}


def staff_business_lines() -> Choices:
    return translated(BusinessLine.choices)


class StaffIntakeForm(RequestForm):
    """The window clerk's or hotline seat's intake: the citizen's fields plus channel details."""

    channel = forms.ChoiceField(label=_("受理渠道"), choices=())
    referral_source = forms.ChoiceField(
        label=_("转介单位类别"),
        required=False,
        choices=[("", _("（非转介）")), *translated(ReferralSource.choices)],
        help_text=_("渠道为“部门转介”时必填。"),
    )
    external_ref = forms.CharField(
        label=_("外部编号"),
        required=False,
        max_length=200,
        help_text=_("来电号、12345工单号或转介单位文号，可不填。"),
    )
    special_groups = forms.MultipleChoiceField(
        label=_("特殊群体"),
        required=False,
        choices=SPECIAL_GROUPS,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = [
        "channel",
        "referral_source",
        "external_ref",
        "business_line",
        "topic",
        "district",
        "township",
        "title",
        "description",
        "requester_name",
        "phone",
        "special_groups",
        "home_visit",
        "language",
    ]

    def __init__(self, *args: Any, channels: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "channel", channels)
        self.fields["business_line"].label = _("业务类别")
        set_choices(self, "business_line", staff_business_lines())
        self.fields["topic"].label = _("咨询分类")
        self.fields["district"].label = _("所在区（县）")
        self.fields["title"].label = _("事项（可不填，默认取诉求内容开头）")
        self.fields["description"].label = _("诉求内容")
        # The seat screen: topic, standard answers and articles follow the question as it is typed.
        self.fields["description"].widget.attrs.update(
            {
                "hx-post": reverse("consult:suggest"),
                "hx-trigger": "input changed delay:400ms, load",
                "hx-target": "#suggestions",
                "hx-sync": "this:replace",
            }
        )
        self.fields["special_groups"].label = _("特殊群体（绿色通道优先办理）")
        self.fields["home_visit"].label = _("申请上门服务")
        self.fields["requester_name"].label = _("申请人姓名")
        self.fields["phone"].label = _("联系电话（手机号码）")


class QueueFilterForm(forms.Form):
    """The filters of the order list; unknown values are ignored rather than refused."""

    queue = forms.ChoiceField(label=_("队列"), required=False, choices=())
    status = forms.ChoiceField(label=_("状态"), required=False, choices=())
    topic = forms.ChoiceField(label=_("咨询分类"), required=False, choices=())
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=())
    business_line = forms.ChoiceField(label=_("业务类别"), required=False, choices=())
    q = forms.CharField(label=_("搜索（编号或事项）"), required=False, max_length=100)

    def __init__(self, *args: Any, queues: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        every = [("", _("全部"))]
        set_choices(self, "queue", queues)
        set_choices(self, "status", every + translated(Status.choices))
        set_choices(self, "topic", every + translated(Topic.choices))
        set_choices(self, "channel", every + translated(Channel.choices))
        set_choices(self, "business_line", every + translated(BusinessLine.choices))


def institution_choices(institutions: Iterable[Institution]) -> Choices:
    """Institutions grouped by kind (<optgroup>), each group in name order."""
    labels = dict(InstitutionKind.choices)
    groups: dict[str, list[tuple[int, str]]] = {}
    for institution in sorted(institutions, key=lambda i: (i.kind, i.name)):
        label = f"{institution.name}（{institution.region.name}）"
        groups.setdefault(str(_(str(labels.get(institution.kind, institution.kind)))), []).append(
            (institution.pk, label)
        )
    return list(groups.items())


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("答复内容"),
        widget=forms.Textarea(attrs={"rows": 8, "data-reply-text": ""}),
        help_text=_("可参考右侧的标准答复和法条；提交前可核对答复中引用的法条。"),
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("办结理由"), choices=())
    duplicate_of = forms.CharField(
        label=_("重复的工单编号"),
        required=False,
        max_length=20,
        help_text=_("理由为“重复诉求”时填写，须为同一申请人的另一张工单。"),
    )
    note = forms.CharField(
        label=_("办结说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("群众撤回诉求的，请写明撤回方式（如来电、当面）。"),
    )

    def __init__(self, *args: Any, reasons: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "reason", [("", _("请选择")), *reasons])


def close_reasons(status: str) -> Choices:
    """The reasons the rules allow from this status (``models.CLOSE_REASON_FROM``)."""
    return [
        (value, _(str(label)))
        for value, label in CloseReason.choices
        if status in CLOSE_REASON_FROM[value]
    ]


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(
        label=_("指派给"), required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args: Any, colleagues: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "assignee", [("", _("自动分配（按工作量和专长）")), *colleagues])


class TransferForm(forms.Form):
    institution = forms.TypedChoiceField(
        label=_("转办至"), coerce=int, choices=(), widget=forms.Select(attrs=SEARCHABLE)
    )
    reason = forms.CharField(label=_("转办理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, institutions: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "institution", [("", _("请选择")), *institutions])


class RouteForm(forms.Form):
    institution = forms.TypedChoiceField(
        label=_("分派至"), coerce=int, choices=(), widget=forms.Select(attrs=SEARCHABLE)
    )

    def __init__(self, *args: Any, institutions: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "institution", [("", _("请选择")), *institutions])


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回后工单回到待分派状态，由区内分派人员重新分派。"),
    )


class SuperviseForm(forms.Form):
    note = forms.CharField(label=_("督办意见"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateTimeField(
        label=_("新的答复时限"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ClassifyForm(forms.Form):
    business_line = forms.ChoiceField(label=_("业务类别"), choices=())
    topic = forms.ChoiceField(label=_("咨询分类"), choices=())

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "business_line", translated(BusinessLine.choices))
        set_choices(self, "topic", translated(Topic.choices))


class FollowUpForm(forms.Form):
    reached = forms.TypedChoiceField(
        label=_("是否联系上申请人"),
        choices=[("1", _("已联系上")), ("0", _("未联系上"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("未评价")), *RATING_CHOICES],
    )
    note = forms.CharField(
        label=_("回访记录"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DispatchRuleForm(forms.Form):
    region = forms.ChoiceField(label=_("适用区域"), choices=())
    institution = forms.TypedChoiceField(
        label=_("分派至机构"), coerce=int, choices=(), widget=forms.Select(attrs=SEARCHABLE)
    )
    business_line = forms.ChoiceField(label=_("业务类别"), required=False, choices=())
    topic = forms.ChoiceField(label=_("咨询分类"), required=False, choices=())
    priority = forms.IntegerField(
        label=_("优先级"),
        min_value=0,
        max_value=1000,
        initial=100,
        help_text=_("条件相同时，数字小的规则优先。"),
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    rule_id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, regions: Choices, institutions: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        anything = [("", _("不限"))]
        set_choices(self, "region", regions)
        set_choices(self, "institution", [("", _("请选择")), *institutions])
        set_choices(self, "business_line", anything + translated(BusinessLine.choices))
        set_choices(self, "topic", anything + translated(Topic.choices))


class DashboardForm(forms.Form):
    start = forms.DateField(
        label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    region = forms.ChoiceField(label=_("区域"), choices=())

    def __init__(self, *args: Any, regions: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "region", regions)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("开始日期不能晚于结束日期。"))
        return data

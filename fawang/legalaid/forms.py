"""Page forms for legal aid. They only parse; the services apply the rules."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.legalaid.models import (
    ApprovalBasis,
    ComplaintKind,
    DocumentKind,
    DutyPlaceKind,
    ExemptGround,
    FullFollowGroup,
    MatterType,
    MilestoneKind,
    NoticeSource,
    ProvisionalGround,
    ReviewMethod,
    TerminationGround,
)

Choices = list[tuple[Any, Any]]
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _set_choices(form: forms.Form, name: str, choices: Choices) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class ApplicationForm(forms.Form):
    district = forms.ChoiceField(label=_("事情发生在哪个区（县）？"))
    township = forms.ChoiceField(label=_("街道（乡镇）"))
    matter_type = forms.ChoiceField(label=_("申请法律援助的事项"), choices=MatterType.choices)
    facts = forms.CharField(
        label=_("案情及申请理由"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    opposing_party = forms.CharField(label=_("对方当事人"), required=False, max_length=100)
    applicant_name = forms.CharField(label=_("申请人姓名"), max_length=50)
    applicant_id_number = forms.CharField(label=_("身份证号码"), max_length=18)
    applicant_phone = forms.CharField(
        label=_("联系电话"), required=False, max_length=20, help_text=_("不填则使用账户手机号。")
    )
    full_follow_groups = forms.MultipleChoiceField(
        label=_("申请人属于以下群体（可多选）"),
        choices=FullFollowGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exempt_ground = forms.ChoiceField(
        label=_("免予核查经济困难的情形（《法律援助法》第四十二条）"),
        choices=[("", _("不属于以下情形，需要核查经济状况")), *ExemptGround.choices],
        required=False,
    )
    exempt_basis = forms.CharField(label=_("免予核查的依据说明"), required=False, max_length=500)
    household_size = forms.IntegerField(label=_("家庭人口（人）"), required=False)
    household_monthly_income = forms.DecimalField(
        label=_("家庭月收入合计（元）"), required=False, max_digits=12, decimal_places=2
    )
    household_assets = forms.DecimalField(
        label=_("家庭资产合计（元）"), required=False, max_digits=14, decimal_places=2
    )
    honesty_pledge = forms.BooleanField(
        label=_("本人承诺所填经济状况真实，如有虚假愿承担相应法律责任（诚信承诺）"),
        required=False,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args: Any, districts: Choices, townships: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_choices(self, "district", [("", _("请选择")), *districts])
        _set_choices(self, "township", [("", _("请选择")), *townships])
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类别"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("文件（PDF、JPG、PNG）"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审查决定"),
        choices=[("approve", _("给予法律援助")), ("refuse", _("不予法律援助"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("决定理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不予援助且不填写时，使用系统核查出的理由。"),
    )
    # 法律援助法 第二十四条: a criminal defence may be approved for "其他原因" despite the means test.
    basis = forms.ChoiceField(
        label="批准依据",
        required=False,
        choices=[("", "经济困难或者免予核查（默认）"), *ApprovalBasis.choices[1:]],
    )


class MaterialsRequestForm(forms.Form):
    """法律援助法 第四十三条第二款: 一次性告知申请人需要补充的材料或者要求申请人作出说明."""

    materials = forms.CharField(
        label="需要补充的材料或者说明（一次性告知）", widget=forms.Textarea(attrs={"rows": 2})
    )


class MaterialsSupplyForm(forms.Form):
    note = forms.CharField(
        label="补充说明（材料请在下方“申请材料”中上传）", widget=forms.Textarea(attrs={"rows": 2})
    )


class ProvideFirstForm(forms.Form):
    """法律援助法 第四十四条: 先行提供法律援助."""

    ground = forms.ChoiceField(label="先行提供的情形", choices=ProvisionalGround.choices)
    reasons = forms.CharField(label="紧急情况说明", widget=forms.Textarea(attrs={"rows": 2}))


class TerminationForm(forms.Form):
    """法律援助法 第四十八条: the written decision to end legal aid."""

    ground = forms.ChoiceField(label="终止情形（第四十八条）", choices=TerminationGround.choices)
    reasons = forms.CharField(
        label="终止法律援助的事实和理由", widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    provider = forms.ChoiceField(label=_("承办人员"), required=False)
    reason = forms.CharField(label=_("指派/更换理由"), required=False, max_length=500)

    def __init__(self, *args: Any, providers: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_choices(self, "provider", [("", _("按规则自动选择")), *providers])


class NoticeForm(forms.Form):
    source = forms.ChoiceField(label=_("通知机关类别"), choices=NoticeSource.choices)
    organ_name = forms.CharField(label=_("通知机关"), max_length=200)
    document_number = forms.CharField(label=_("通知书文号"), max_length=100)
    recipient_name = forms.CharField(label=_("犯罪嫌疑人、被告人姓名"), max_length=50)
    charge = forms.CharField(label=_("涉嫌罪名"), required=False, max_length=200)
    serious_criminal = forms.BooleanField(label=_("可能判处无期徒刑、死刑"), required=False)
    township = forms.ChoiceField(label=_("案件所在街道（乡镇）"))

    def __init__(self, *args: Any, townships: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_choices(self, "township", townships)


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("办案节点"), choices=MilestoneKind.choices)
    occurred_on = forms.DateField(label=_("日期"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("说明"), required=False, max_length=1000)


class CloseForm(forms.Form):
    summary = forms.CharField(label=_("结案报告摘要"), widget=forms.Textarea(attrs={"rows": 3}))


class HearingForm(forms.Form):
    planned_for = forms.DateField(label=_("计划旁听日期"), widget=DATE)
    court = forms.CharField(label=_("法院/法庭"), required=False, max_length=200)


class AttendanceForm(forms.Form):
    hearing = forms.IntegerField(widget=forms.HiddenInput)
    attended_on = forms.DateField(label=_("实际旁听日期"), widget=DATE, initial=timezone.localdate)
    observations = forms.CharField(label=_("旁听意见"), max_length=5000)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("回访日期"), widget=DATE, initial=timezone.localdate)
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)]
    )
    note = forms.CharField(label=_("回访记录"), required=False, max_length=1000)


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(label=_("投诉事项"), choices=ComplaintKind.choices)
    description = forms.CharField(label=_("投诉内容"), widget=forms.Textarea(attrs={"rows": 3}))


class ComplaintDecisionForm(forms.Form):
    complaint = forms.IntegerField(widget=forms.HiddenInput)
    upheld = forms.TypedChoiceField(
        label=_("核查结论"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("属实（清退承办人员）")), ("no", _("不属实"))],
    )
    outcome = forms.CharField(label=_("处理结果"), max_length=5000)


class ReviewForm(forms.Form):
    method = forms.ChoiceField(label=_("评估方式"), choices=ReviewMethod.choices)
    expert = forms.ChoiceField(label=_("专家"), required=False)
    score = forms.IntegerField(label=_("评分（0—100）"))
    comments = forms.CharField(
        label=_("评估意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    court_opinion = forms.CharField(label=_("法院意见"), required=False, max_length=5000)
    procuratorate_opinion = forms.CharField(label=_("检察院意见"), required=False, max_length=5000)

    def __init__(self, *args: Any, experts: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_choices(self, "expert", [("", _("（同行评估不需选择）")), *experts])


class SampleForm(forms.Form):
    centre = forms.ChoiceField(label=_("法律援助中心"))
    period = forms.CharField(
        label=_("期间"), max_length=7, help_text=_("YYYY 或 YYYY-MM，例如 2026 或 2026-11")
    )

    def __init__(self, *args: Any, centres: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_choices(self, "centre", centres)


class PoolMemberForm(forms.Form):
    licence_number = forms.CharField(label=_("执业证号"), max_length=40)
    is_public_sector_lawyer = forms.BooleanField(label=_("公职律师"), required=False)


class ExcludeForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("清退原因"), max_length=500)


class DutyShiftForm(forms.Form):
    member = forms.ChoiceField(label=_("值班律师"))
    place_kind = forms.ChoiceField(label=_("场所类别"), choices=DutyPlaceKind.choices)
    place_name = forms.CharField(label=_("值班场所"), max_length=200)
    on_date = forms.DateField(label=_("值班日期"), widget=DATE)

    def __init__(self, *args: Any, members: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_choices(self, "member", members)


class ObjectionForm(forms.Form):
    """法律援助法 第四十九条: an objection to a refusal or a termination."""

    reasons = forms.CharField(label="异议理由", widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionDecisionForm(forms.Form):
    """法律援助法 第四十九条: the justice bureau upholds the decision or orders it corrected."""

    objection = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label="审查决定",
        choices=[("uphold", "维持法律援助机构的决定"), ("correct", "责令法律援助机构改正")],
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.forms import OTPAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice

from fawang.core.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    PartyOrganisation,
    PractitionerStatus,
    Role,
)
from fawang.core.taxonomy import SpecialGroup, Topic
from fawang.portal.forms import RATING_CHOICES, RequestForm, set_choices, translated
from fawang.workorders.models import BusinessLine, Channel, ReferralSource, Status


class StaffLoginForm(OTPAuthenticationForm):
    """Username, password and the 6-digit TOTP code, in one step."""

    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].label = _("动态口令")
        self.fields["otp_token"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric"}
        )

    def _chosen_device(self, user):
        # Staff have one authenticator, so nobody should have to pick it from a list.
        chosen = super()._chosen_device(user)
        return chosen or TOTPDevice.objects.devices_for_user(user, confirmed=True).first()

    def clean_otp(self, user):
        if not self.cleaned_data.get("otp_token"):
            raise forms.ValidationError(_("请输入身份验证器中的6位动态口令。"))
        return super().clean_otp(user)


class InstitutionForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=400)
    address = forms.CharField(label=_("地址"), max_length=400, required=False)
    phone = forms.CharField(label=_("对外服务电话"), max_length=80, required=False)
    licence_number = forms.CharField(label=_("执业证号"), max_length=80, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=InstitutionStatus.choices)
    party_organisation = forms.ChoiceField(label=_("党组织建设"), choices=PartyOrganisation.choices)


class PractitionerStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=PractitionerStatus.choices)
    reason = forms.CharField(label=_("原因"), max_length=400)


class RevealForm(forms.Form):
    field = forms.ChoiceField(
        label=_("字段"), choices=[("phone", _("手机号码")), ("id_number", _("身份证号码"))]
    )
    reason = forms.CharField(label=_("查看原因"), max_length=400)


class StaffAccountForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=100)
    role = forms.ChoiceField(
        label=_("角色"), choices=[c for c in Role.choices if c[0] != Role.CITIZEN]
    )
    region_code = forms.CharField(label=_("区划代码"), max_length=12, required=False)
    institution_id = forms.IntegerField(label=_("机构编号"), required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=200)


# --- work orders ----------------------------------------------------------------------------

SPECIAL_GROUPS = SpecialGroup.choices
Choices = list[tuple[Any, Any]]


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
    reply = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 8}))


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(
        label=_("指派给"), required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args: Any, colleagues: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "assignee", [("", _("自动分配（按工作量和专长）")), *colleagues])


class TransferForm(forms.Form):
    institution = forms.TypedChoiceField(label=_("转办至"), coerce=int, choices=())
    reason = forms.CharField(label=_("转办理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, institutions: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "institution", [("", _("请选择")), *institutions])


class RouteForm(forms.Form):
    institution = forms.TypedChoiceField(label=_("分派至"), coerce=int, choices=())

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
    institution = forms.TypedChoiceField(label=_("分派至机构"), coerce=int, choices=())
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

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_otp.forms import OTPAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice

from fawang.core.models import (
    InstitutionStatus,
    PartyOrganisation,
    PractitionerStatus,
    Role,
)
from fawang.core.periods import FIRST_YEAR, LAST_YEAR


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


class HolidayScheduleForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    source = forms.CharField(
        label=_("依据（通知文号与标题）"),
        max_length=200,
        help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）"),
    )
    rest_days = forms.CharField(
        label=_("放假日期"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("照通知填写，如：1月1日至3日，2月6日至12日；也可写 2027-02-06。"),
    )
    work_days = forms.CharField(
        label=_("调休上班日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("通知中“上班”的星期六、星期日，如：2月14日（星期日）。"),
    )

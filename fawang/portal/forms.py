from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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

"""Forms of the notary pages. They only collect; the services check the values."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fawang.notary.catalogue import DESTINATIONS, Matter, materials_for
from fawang.notary.models import FeeGroup
from fawang.notary.selectors import active_offices


class ApplyForm(forms.Form):
    """The application for one matter: one file field per item of its materials list."""

    office = forms.ChoiceField(label=_("办理公证处"), choices=())
    purpose = forms.CharField(label=_("公证书用途"), max_length=200)
    destination = forms.ChoiceField(
        label=_("使用国家（国内使用不选）"),
        required=False,
        choices=[("", _("国内使用")), *((d, _(d)) for d in DESTINATIONS)],
    )
    with_authentication = forms.BooleanField(
        label=_("同时申请“涉外公证+领事认证（附加证明书）”一体联办"), required=False
    )
    fee_group = forms.ChoiceField(label=_("费用减免情形"), required=False, choices=FeeGroup.choices)
    applicant_name = forms.CharField(label=pgettext_lazy("notary", "申请人姓名"), max_length=50)
    applicant_id_number = forms.CharField(label=_("身份证号码"), max_length=18)
    applicant_phone = forms.CharField(
        label=_("联系电话（不填则用账号手机号）"), max_length=20, required=False
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, matter: Matter, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matter = matter
        office = self.fields["office"]
        assert isinstance(office, forms.ChoiceField)
        office.choices = [(str(o.pk), o.name) for o in active_offices()]
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        if not matter.foreign_capable:
            del self.fields["destination"]
            del self.fields["with_authentication"]
        for item, label in materials_for(matter, abroad=matter.foreign_capable):
            self.fields[f"material_{item}"] = forms.FileField(
                label=gettext("材料：%(label)s") % {"label": gettext(label)},
                required=False,
                help_text=_("PDF、JPG 或 PNG，不超过 10 MB；暂缺可不传，提交后一次性告知。"),
            )

    def files_by_item(self) -> dict[str, Any]:
        return {
            name.removeprefix("material_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("material_") and value
        }

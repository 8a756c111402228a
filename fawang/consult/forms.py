from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CitationCheckForm(forms.Form):
    text = forms.CharField(
        label=_("需要核对的文字"),
        widget=forms.Textarea(attrs={"rows": 10}),
        # The length is checked by check_citations, with the same message as the API gives.
        strip=False,
        error_messages={"required": _("请粘贴需要核对的文字。")},
        help_text=_("粘贴文书、答复或文章（最多10万字），例如：依据《民法典》第一千零七十九条……"),
    )

"""The licensed fields of judicial appraisal (司法鉴定执业类别).

全国人大常委会关于司法鉴定管理问题的决定 art. 2 names 法医类、物证类、声像资料 (and lets the
two high courts and the ministry add others: 环境损害 was added in 2015). The sub-fields of
法医类 and the "others" are data: a new field is one line here, labelled in Chinese.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

FIELDS: dict[str, str] = {
    "forensic_pathology": gettext_noop("法医病理鉴定"),
    "forensic_clinical": gettext_noop("法医临床鉴定"),
    "forensic_psychiatry": gettext_noop("法医精神病鉴定"),
    "forensic_dna": gettext_noop("法医物证鉴定"),
    "forensic_toxicology": gettext_noop("法医毒物鉴定"),
    "documents": gettext_noop("文书鉴定"),
    "traces": gettext_noop("痕迹鉴定"),
    "trace_evidence": gettext_noop("微量物证鉴定"),
    "audio_visual": gettext_noop("声像资料鉴定"),
    "electronic_data": gettext_noop("电子数据鉴定"),
    "environmental": gettext_noop("环境损害司法鉴定"),
}
GROUPS: dict[str, str] = {
    "forensic_pathology": "法医类",
    "forensic_clinical": "法医类",
    "forensic_psychiatry": "法医类",
    "forensic_dna": "法医类",
    "forensic_toxicology": "法医类",
    "documents": "物证类",
    "traces": "物证类",
    "trace_evidence": "物证类",
    "audio_visual": "声像资料",
    "electronic_data": "声像资料",
    "environmental": "环境损害",
}
# The fields whose 资质认定 coverage the plans set: SJZ 专栏11 names four (法医物证、法医毒物、
# 微量物证、环境损害), BJ-list 一(六) / BJ-measures 21 five (the four and 电子数据). Each has its
# two counters (metrics.py); each pack's formula adds up the fields its passage names.
ACCREDITATION_FIELDS = (
    "forensic_dna",
    "forensic_toxicology",
    "trace_evidence",
    "environmental",
    "electronic_data",
)
# Field code letters in the case code (docs/appraisal.md, "The case code").
FIELD_LETTERS: dict[str, str] = {
    "forensic_pathology": "FB",
    "forensic_clinical": "FL",
    "forensic_psychiatry": "FJ",
    "forensic_dna": "FW",
    "forensic_toxicology": "FD",
    "documents": "WS",
    "traces": "HJ",
    "trace_evidence": "WL",
    "audio_visual": "SX",
    "electronic_data": "DZ",
    "environmental": "HH",
}


def field_label(code: str) -> str:
    """The field's Chinese label (as stored and printed); pages translate it (``gettext``)."""
    return FIELDS.get(code, code)

"""The hotline taxonomy of legal topics (咨询分类), shared by specialties, intake and consultation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    MARRIAGE_FAMILY = "marriage_family", _("婚姻家庭")
    LABOUR = "labour", _("劳动纠纷")
    TRAFFIC_ACCIDENT = "traffic_accident", _("交通事故")
    DEBT = "debt", _("债权债务")
    CRIMINAL_DEFENCE = "criminal_defence", _("刑事辩护")
    CONTRACT = "contract", _("合同纠纷")
    PROPERTY = "property", _("房产纠纷")
    TORT = "tort", _("侵权")
    COMPANY = "company", _("公司法")
    MEDICAL = "medical", _("医疗纠纷")
    DEMOLITION = "demolition", _("拆迁安置")
    ADMINISTRATIVE = "administrative", _("行政诉讼")
    CONSTRUCTION = "construction", _("建设工程")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("知识产权")
    GENERAL = "general", _("综合咨询")
    PERSONAL_INJURY = "personal_injury", _("人身损害")
    FOREIGN_RELATED = "foreign_related", _("涉外法律")
    MARITIME = "maritime", _("海事海商")
    CONSUMER = "consumer", _("消费权益")
    SECURITY_INTEREST = "security_interest", _("抵押担保")


class SpecialGroup(models.TextChoices):
    """特殊群体: the groups the policy documents single out for priority and fee waivers."""

    ELDERLY = "elderly", _("老年人")
    DISABLED = "disabled", _("残疾人")
    MINOR = "minor", _("未成年人")
    MILITARY = "military", _("军人军属")
    MIGRANT_WORKER = "migrant_worker", _("农民工")
    LOW_INCOME = "low_income", _("低收入群体")
    WOMAN = "woman", _("妇女")
    FOREIGNER = "foreigner", _("外籍人士")


LANGUAGES = {
    "zh": "普通话",
    "yue": "粤语",
    "en": "英语",
    "ja": "日语",
    "ko": "韩语",
    "fr": "法语",
    "de": "德语",
    "ru": "俄语",
    "es": "西班牙语",
    "ar": "阿拉伯语",
    "mn": "蒙古语",
    "bo": "藏语",
    "ug": "维吾尔语",
    "csl": "手语",
}

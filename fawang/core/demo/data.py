"""The demo world's constants: the demo accounts' shared secrets, the region codes it is
anchored on, the reference lists people and firms are drawn from, and the shares that make it
uneven. DEMO ONLY."""

from __future__ import annotations

from typing import TypeVar

from fawang.core.models import (
    InstitutionKind,
    PartyOrganisation,
    PractitionerKind,
    PractitionerStatus,
)
from fawang.core.taxonomy import Topic

DEMO_PASSWORD = "Fawang-demo-2026"
DEMO_CITIZEN_PHONE = "13800138000"
TOTP_DEVICE_NAME = "演示令牌"
BEIJING_CODE = "110000000000"
CHAOYANG_CODE = "110105000000"
HAIDIAN_CODE = "110108000000"
DONGHUAMEN_CODE = "110101001000"
DEVELOPMENT_AREA_CODE = "110190000000"

OPENING_HOURS = "周一至周五 9:00-17:00"
BATCH_SIZE = 500

InstitutionKey = tuple[str, str]  # (kind, name): the natural key of an institution
T = TypeVar("T")

# --- reference lists ----------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁"
    "魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹"
)
MALE_GIVEN = (
    "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林峰建国志文海东亮晨博昊哲睿轩天成锐"
)
FEMALE_GIVEN = "芳娜敏静丽艳娟霞燕玲婷雪慧琳倩颖佳欣瑶怡婧璐晶丹萍红梅莉媛楠悦彤思雨诗蕾琪晓月"
NEUTRAL_GIVEN = "子一文嘉安清明思诗雅新志永春秋宏立振"

BRAND_FIRST = "明正信恒诚嘉泽瑞安和昭睿衡远博致弘景立卓尚知文东京华中汇元"
BRAND_SECOND = "衡达信成远泰诺和律正川言理义谦石行鉴桥朗睿嘉策鼎瀚智"

ROADS = (
    "建设路", "光明路", "民主街", "文化路", "幸福路", "兴华大街", "振兴路", "和平街", "育才路",
    "科技路", "新华大街", "团结路", "永安路", "府前街", "胜利路", "朝阳路", "通惠路", "西大街",
)  # fmt: skip

# Approximate centres of the district seats, for the centres' map pins (demo only).
DISTRICT_COORDINATES = {
    "110101": ("39.928", "116.416"), "110102": ("39.912", "116.366"),
    "110105": ("39.921", "116.443"), "110106": ("39.858", "116.287"),
    "110107": ("39.906", "116.223"), "110108": ("39.959", "116.298"),
    "110109": ("39.940", "116.102"), "110111": ("39.736", "116.143"),
    "110112": ("39.910", "116.657"), "110113": ("40.130", "116.654"),
    "110114": ("40.221", "116.231"), "110115": ("39.727", "116.341"),
    "110116": ("40.316", "116.632"), "110117": ("40.141", "117.121"),
    "110118": ("40.377", "116.843"), "110119": ("40.457", "115.975"),
    "110190": ("39.795", "116.506"), "110000": ("39.904", "116.407"),
}  # fmt: skip

# Birthplaces for ID numbers: mostly Beijing, some from other provinces.
BIRTHPLACES = (
    "110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111", "110112",
    "110113", "110114", "110115", "110116", "110117", "110118", "110119",
    "130102", "140105", "210102", "230102", "370102", "410102", "420102", "510104",
)  # fmt: skip

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "166", "176", "177", "180", "181", "185", "186", "187", "188",
    "189", "191", "198", "199",
)  # fmt: skip

INDUSTRY_COMMITTEES = (
    ("道路交通事故", "北京市道路交通事故纠纷人民调解委员会", Topic.TRAFFIC_ACCIDENT),
    ("医疗纠纷", "北京市医疗纠纷人民调解委员会", Topic.MEDICAL),
    ("物业纠纷", "北京市物业纠纷人民调解委员会", Topic.PROPERTY),
    ("知识产权", "北京市知识产权纠纷人民调解委员会", Topic.INTELLECTUAL_PROPERTY),
    ("金融消费纠纷", "北京市金融消费纠纷人民调解委员会", Topic.CONSUMER),
    ("新业态劳动争议", "北京市新业态劳动争议人民调解委员会", Topic.LABOUR),
)

APPRAISAL_FIELDS = ("法医类", "物证类", "声像资料", "环境损害")

SPECIALTIES: dict[str, tuple[str, ...]] = {
    PractitionerKind.LAWYER: tuple(t for t in Topic.values if t != Topic.GENERAL),
    PractitionerKind.COMMUNITY_ADVISER: (
        Topic.GENERAL, Topic.MARRIAGE_FAMILY, Topic.PROPERTY, Topic.DEMOLITION, Topic.LABOUR,
        Topic.DEBT, Topic.CONTRACT,
    ),
    PractitionerKind.NOTARY: (
        Topic.PROPERTY, Topic.MARRIAGE_FAMILY, Topic.FOREIGN_RELATED, Topic.GENERAL,
        Topic.SECURITY_INTEREST,
    ),
    PractitionerKind.APPRAISER: (
        Topic.MEDICAL, Topic.TRAFFIC_ACCIDENT, Topic.PERSONAL_INJURY,
        Topic.INTELLECTUAL_PROPERTY, Topic.CONSTRUCTION,
    ),
    PractitionerKind.MEDIATOR: (
        Topic.MARRIAGE_FAMILY, Topic.PROPERTY, Topic.DEBT, Topic.LABOUR, Topic.GENERAL,
        Topic.TORT, Topic.CONSUMER,
    ),
    PractitionerKind.LEGAL_AID_STAFF: (
        Topic.GENERAL, Topic.LABOUR, Topic.MARRIAGE_FAMILY, Topic.CRIMINAL_DEFENCE,
        Topic.PERSONAL_INJURY,
    ),
    PractitionerKind.ARBITRATOR: (
        Topic.CONTRACT, Topic.COMPANY, Topic.CONSTRUCTION, Topic.INTELLECTUAL_PROPERTY,
        Topic.FOREIGN_RELATED, Topic.MARITIME, Topic.SECURITY_INTEREST,
    ),
}  # fmt: skip

# (title, weight); "" means no title recorded.
TITLES: dict[str, tuple[tuple[str, int], ...]] = {
    PractitionerKind.LAWYER: (
        ("一级律师", 1), ("二级律师", 4), ("三级律师", 10), ("四级律师", 10), ("", 75),
    ),
    PractitionerKind.COMMUNITY_ADVISER: (("三级律师", 10), ("四级律师", 20), ("", 70)),
    PractitionerKind.NOTARY: (
        ("一级公证员", 5), ("二级公证员", 20), ("三级公证员", 40), ("四级公证员", 35),
    ),
    PractitionerKind.APPRAISER: (
        ("主任法医师", 10), ("副主任法医师", 25), ("主检法医师", 25), ("高级工程师", 20),
        ("工程师", 20),
    ),
    PractitionerKind.MEDIATOR: (
        ("首席人民调解员", 3), ("一级人民调解员", 12), ("二级人民调解员", 25),
        ("三级人民调解员", 30), ("", 30),
    ),
    PractitionerKind.LEGAL_AID_STAFF: (("主任", 10), ("副主任", 15), ("", 75)),
    PractitionerKind.ARBITRATOR: (
        ("教授", 30), ("研究员", 10), ("律师", 30), ("高级经济师", 10), ("高级工程师", 10),
        ("退休法官", 10),
    ),
}  # fmt: skip

# Foreign working languages: who gets one and which.
FOREIGN_LANGUAGE_SHARE: dict[str, float] = {
    PractitionerKind.LAWYER: 0.12,
    PractitionerKind.ARBITRATOR: 0.5,
}
FOREIGN_LANGUAGES = (("en", 60), ("ja", 10), ("ko", 8), ("fr", 6), ("de", 6), ("ru", 5), ("es", 5))
DOMESTIC_EXTRA_LANGUAGES = (("yue", 4), ("csl", 3), ("mn", 1), ("ug", 1), ("bo", 1))

PARTY_ORGANISATIONS = (
    (PartyOrganisation.INDEPENDENT, 40),
    (PartyOrganisation.JOINT, 20),
    (PartyOrganisation.NONE, 30),
    (PartyOrganisation.UNKNOWN, 10),
)
PRACTITIONER_STATUSES = (
    (PractitionerStatus.PRACTISING, 92),
    (PractitionerStatus.SUSPENDED, 4),
    (PractitionerStatus.RETIRED, 4),
)

# Unified social credit code (GB 32100): registering authority + kind of body.
CREDIT_PREFIX: dict[str, str] = {
    InstitutionKind.JUSTICE_BUREAU: "11",
    InstitutionKind.SERVICE_CENTRE: "12",
    InstitutionKind.LEGAL_AID_CENTRE: "12",
    InstitutionKind.LAW_FIRM: "31",
    InstitutionKind.NOTARY_OFFICE: "32",
    InstitutionKind.APPRAISAL_INSTITUTION: "34",
    InstitutionKind.ARBITRATION_COMMISSION: "35",
}
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Shares that make the world uneven, as the real one is.
VILLAGE_COMMITTEE_SHARE = 0.1
STATION_SHARE = 1 / 3
NOTARY_OFFICE_SHARE = 0.8
APPRAISAL_SHARE = 0.5
SUSPENDED_FIRM_SHARE = 0.03
FULL_TIME_MEDIATOR_QUOTA = 2  # per township committee
TOWNSHIP_SHORT_OF_FULL_TIME_SHARE = 0.12  # committees that deliberately fall short of it

FULL_TIME_KINDS = frozenset(
    {
        PractitionerKind.LAWYER,
        PractitionerKind.NOTARY,
        PractitionerKind.APPRAISER,
        PractitionerKind.LEGAL_AID_STAFF,
    }
)
LICENCE_PREFIX: dict[str, str] = {
    PractitionerKind.NOTARY: "GZ",
    PractitionerKind.APPRAISER: "JD",
    PractitionerKind.MEDIATOR: "TJ",
    PractitionerKind.LEGAL_AID_STAFF: "FY",
    PractitionerKind.ARBITRATOR: "ZC",
}

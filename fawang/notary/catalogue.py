"""The catalogue of notarial matters (公证事项目录) with the materials list told once (一次性告知).

Data, not code: each matter names its materials, its fee basis (the amount is in the city pack),
how it can be done (online / by video / in person) and whether a second notary approves it (wills:
遗嘱公证细则, 司法部令第57号, has two notary personnel handle them; the others marked are the office's
approval rule, platform data). The statutory time limit is the pack's ``notary.issue_working_days`` (公证法 art. 30). Which matters
allow video and which need a second notary are platform data an office may change here.

Documents for use abroad (涉外): the route after notarisation depends on the destination. China's
accession to the Apostille Convention took effect on 7 November 2023: for a state party (and not
objecting to China's accession) the apostille (附加证明书) replaces consular legalisation; for other
states the document goes through consular legalisation (领事认证). The lists below are data as of
2025 and are to be kept in line with the 外交部领事司 list.
"""

from __future__ import annotations

from dataclasses import dataclass

ONLINE, VIDEO, IN_PERSON = "online", "video", "in_person"
MODE_LABELS = {ONLINE: "可全程网办", VIDEO: "可视频办理", IN_PERSON: "须到公证处办理"}

ID_CARD = ("id_card", "申请人身份证件")
PHOTO = ("photo", "申请人近期免冠照片")


@dataclass(frozen=True)
class Matter:
    code: str
    name: str
    materials: tuple[tuple[str, str], ...]
    fee_basis: str
    modes: frozenset[str]
    second_notary: bool = False
    foreign_capable: bool = True
    personal_only: bool = False  # 公证法 art. 26: must be done by the person, not by an agent

    @property
    def mode_labels(self) -> list[str]:
        return [MODE_LABELS[m] for m in (ONLINE, VIDEO, IN_PERSON) if m in self.modes]

    @property
    def allows_video(self) -> bool:
        return VIDEO in self.modes


def _m(
    code: str,
    name: str,
    materials: list[tuple[str, str]],
    fee_basis: str,
    modes: set[str],
    **flags: bool,
) -> Matter:
    return Matter(code, name, (ID_CARD, *materials), fee_basis, frozenset(modes), **flags)


MATTERS: tuple[Matter, ...] = (
    _m("education", "学历公证", [("diploma", "毕业证书原件"), PHOTO], "certificate", {ONLINE}),
    _m("degree", "学位公证", [("degree_cert", "学位证书原件"), PHOTO], "certificate", {ONLINE}),
    _m("kinship", "亲属关系公证",
       [("household_register", "户口簿或户籍证明"), ("kinship_proof", "亲属关系证明材料")],
       "certificate", {ONLINE}),
    _m("birth", "出生公证",
       [("birth_cert", "出生医学证明或户籍证明"), PHOTO], "certificate", {ONLINE}),
    _m("marital_status", "婚姻状况公证",
       [("marriage_record", "婚姻登记证或婚姻登记记录证明"), PHOTO], "certificate", {ONLINE}),
    _m("no_criminal_record", "无犯罪记录公证",
       [("police_certificate", "公安机关出具的无犯罪记录证明"), PHOTO], "certificate", {ONLINE}),
    _m("entrustment", "委托公证",
       [("entrustment_deed", "委托书文本"), ("agent_id", "受托人身份证件复印件"),
        ("property_proof", "所涉财产的权属证明（如涉及）")],
       "declaration", {VIDEO, IN_PERSON}),
    _m("declaration", "声明公证", [("declaration_text", "声明书文本")],
       "declaration", {VIDEO, IN_PERSON}),
    _m("will", "遗嘱公证",
       [("will_draft", "遗嘱草稿"), ("property_proof", "遗嘱所涉财产的权属证明")],
       "will", {IN_PERSON}, second_notary=True, foreign_capable=False, personal_only=True),
    _m("succession", "继承公证",
       [("death_cert", "被继承人死亡证明"), ("kinship_proof", "继承人与被继承人的亲属关系证明"),
        ("property_proof", "遗产权属证明"), ("heirs_list", "全部继承人名单及身份证件")],
       "succession", {IN_PERSON}, second_notary=True),
    _m("gift", "赠与公证",
       [("gift_contract", "赠与合同或赠与书"), ("property_proof", "赠与财产的权属证明")],
       "gift", {IN_PERSON}, second_notary=True),
    _m("contract", "合同公证",
       [("contract_text", "合同文本"), ("counterparty_id", "合同各方主体资格证明")],
       "contract", {VIDEO, IN_PERSON}),
    _m("evidence", "保全证据公证",
       [("evidence_description", "拟保全证据的说明"), ("interest_proof", "与保全事项有利害关系的证明")],
       "evidence", {IN_PERSON}, second_notary=True, foreign_capable=False),
    _m("escrow", "提存公证",
       [("debt_proof", "债权债务关系证明"), ("escrow_object", "提存标的物清单")],
       "escrow", {IN_PERSON}, second_notary=True, foreign_capable=False),
    _m("on_site_supervision", "现场监督公证",
       [("activity_plan", "活动方案或规则"), ("organiser_licence", "主办方主体资格证明")],
       "supervision", {IN_PERSON}, second_notary=True, foreign_capable=False),
    _m("enforcement", "赋予债权文书强制执行效力公证",
       [("debt_instrument", "债权文书（借款合同等）"), ("counterparty_id", "债务人主体资格证明"),
        ("enforcement_consent", "债务人愿意接受强制执行的承诺")],
       "enforcement", {IN_PERSON}, second_notary=True, foreign_capable=False),
)  # fmt: skip
BY_CODE = {m.code: m for m in MATTERS}

# Extra materials when the document is for use abroad (涉外).
ABROAD_MATERIALS = (("translation_request", "译文语种及使用国家说明"),)

DOMESTIC, APOSTILLE, CONSULAR = "domestic", "apostille", "consular"
ROUTE_LABELS = {
    DOMESTIC: "国内使用",
    APOSTILLE: "公证 + 附加证明书（海牙认证）",
    CONSULAR: "公证 + 领事认证",
}
# States for which the apostille applies between them and China (data as of 2025).
APOSTILLE_STATES = [
    "美国",
    "英国",
    "法国",
    "意大利",
    "西班牙",
    "荷兰",
    "瑞士",
    "日本",
    "韩国",
    "澳大利亚",
    "新西兰",
    "加拿大",
    "俄罗斯",
    "新加坡",
    "葡萄牙",
    "希腊",
    "巴西",
    "墨西哥",
    "南非",
]
# States outside the Convention (or not in force with China): consular legalisation.
CONSULAR_STATES = [
    "越南",
    "泰国",
    "阿联酋",
    "卡塔尔",
    "埃及",
    "马来西亚",
    "印度尼西亚",
    "沙特阿拉伯",
]
DESTINATIONS = (*APOSTILLE_STATES, *CONSULAR_STATES)


def route_for(destination: str) -> str:
    """Which route a document takes after notarisation, by destination ("" = used in China)."""
    if not destination:
        return DOMESTIC
    return APOSTILLE if destination in APOSTILLE_STATES else CONSULAR


def materials_for(matter: Matter, *, abroad: bool) -> tuple[tuple[str, str], ...]:
    return (*matter.materials, *(ABROAD_MATERIALS if abroad else ()))

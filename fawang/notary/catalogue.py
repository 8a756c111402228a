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

Names and labels are Chinese data (stored with a matter, sent by SMS) marked with ``gettext_noop``
so that they are in the catalogue: pages show them with ``gettext`` / ``{% translate %}``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

ONLINE, VIDEO, IN_PERSON = "online", "video", "in_person"
MODE_LABELS = {
    ONLINE: gettext_noop("可全程网办"),
    VIDEO: gettext_noop("可视频办理"),
    IN_PERSON: gettext_noop("须到公证处办理"),
}

ID_CARD = ("id_card", gettext_noop("申请人身份证件"))
PHOTO = ("photo", gettext_noop("申请人近期免冠照片"))


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
    def display_name(self) -> str:
        """The matter's name in the reader's language (``name`` stays the Chinese one stored and
        sent by SMS)."""
        return gettext(self.name)

    @property
    def mode_labels(self) -> list[str]:
        """How the matter can be done, in the reader's language."""
        return [gettext(MODE_LABELS[m]) for m in (ONLINE, VIDEO, IN_PERSON) if m in self.modes]

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
    _m("education", gettext_noop("学历公证"), [("diploma", gettext_noop("毕业证书原件")), PHOTO], "certificate", {ONLINE}),
    _m("degree", gettext_noop("学位公证"), [("degree_cert", gettext_noop("学位证书原件")), PHOTO], "certificate", {ONLINE}),
    _m("kinship", gettext_noop("亲属关系公证"),
       [("household_register", gettext_noop("户口簿或户籍证明")), ("kinship_proof", gettext_noop("亲属关系证明材料"))],
       "certificate", {ONLINE}),
    _m("birth", gettext_noop("出生公证"),
       [("birth_cert", gettext_noop("出生医学证明或户籍证明")), PHOTO], "certificate", {ONLINE}),
    _m("marital_status", gettext_noop("婚姻状况公证"),
       [("marriage_record", gettext_noop("婚姻登记证或婚姻登记记录证明")), PHOTO], "certificate", {ONLINE}),
    _m("no_criminal_record", gettext_noop("无犯罪记录公证"),
       [("police_certificate", gettext_noop("公安机关出具的无犯罪记录证明")), PHOTO], "certificate", {ONLINE}),
    _m("entrustment", gettext_noop("委托公证"),
       [("entrustment_deed", gettext_noop("委托书文本")), ("agent_id", gettext_noop("受托人身份证件复印件")),
        ("property_proof", gettext_noop("所涉财产的权属证明（如涉及）"))],
       "declaration", {VIDEO, IN_PERSON}),
    _m("declaration", gettext_noop("声明公证"), [("declaration_text", gettext_noop("声明书文本"))],
       "declaration", {VIDEO, IN_PERSON}),
    _m("will", gettext_noop("遗嘱公证"),
       [("will_draft", gettext_noop("遗嘱草稿")), ("property_proof", gettext_noop("遗嘱所涉财产的权属证明"))],
       "will", {IN_PERSON}, second_notary=True, foreign_capable=False, personal_only=True),
    _m("succession", gettext_noop("继承公证"),
       [("death_cert", gettext_noop("被继承人死亡证明")), ("kinship_proof", gettext_noop("继承人与被继承人的亲属关系证明")),
        ("property_proof", gettext_noop("遗产权属证明")), ("heirs_list", gettext_noop("全部继承人名单及身份证件"))],
       "succession", {IN_PERSON}, second_notary=True),
    _m("gift", gettext_noop("赠与公证"),
       [("gift_contract", gettext_noop("赠与合同或赠与书")), ("property_proof", gettext_noop("赠与财产的权属证明"))],
       "gift", {IN_PERSON}, second_notary=True),
    _m("contract", gettext_noop("合同公证"),
       [("contract_text", gettext_noop("合同文本")), ("counterparty_id", gettext_noop("合同各方主体资格证明"))],
       "contract", {VIDEO, IN_PERSON}),
    _m("evidence", gettext_noop("保全证据公证"),
       [("evidence_description", gettext_noop("拟保全证据的说明")), ("interest_proof", gettext_noop("与保全事项有利害关系的证明"))],
       "evidence", {IN_PERSON}, second_notary=True, foreign_capable=False),
    _m("escrow", gettext_noop("提存公证"),
       [("debt_proof", gettext_noop("债权债务关系证明")), ("escrow_object", gettext_noop("提存标的物清单"))],
       "escrow", {IN_PERSON}, second_notary=True, foreign_capable=False),
    _m("on_site_supervision", gettext_noop("现场监督公证"),
       [("activity_plan", gettext_noop("活动方案或规则")), ("organiser_licence", gettext_noop("主办方主体资格证明"))],
       "supervision", {IN_PERSON}, second_notary=True, foreign_capable=False),
    _m("enforcement", gettext_noop("赋予债权文书强制执行效力公证"),
       [("debt_instrument", gettext_noop("债权文书（借款合同等）")), ("counterparty_id", gettext_noop("债务人主体资格证明")),
        ("enforcement_consent", gettext_noop("债务人愿意接受强制执行的承诺"))],
       "enforcement", {IN_PERSON}, second_notary=True, foreign_capable=False),
)  # fmt: skip
BY_CODE = {m.code: m for m in MATTERS}

# Extra materials when the document is for use abroad (涉外).
ABROAD_MATERIALS = (("translation_request", gettext_noop("译文语种及使用国家说明")),)

DOMESTIC, APOSTILLE, CONSULAR = "domestic", "apostille", "consular"
ROUTE_LABELS = {
    DOMESTIC: gettext_noop("国内使用"),
    APOSTILLE: gettext_noop("公证 + 附加证明书（海牙认证）"),
    CONSULAR: gettext_noop("公证 + 领事认证"),
}
# States for which the apostille applies between them and China (data as of 2025).
APOSTILLE_STATES = [
    gettext_noop("美国"),
    gettext_noop("英国"),
    gettext_noop("法国"),
    gettext_noop("意大利"),
    gettext_noop("西班牙"),
    gettext_noop("荷兰"),
    gettext_noop("瑞士"),
    gettext_noop("日本"),
    gettext_noop("韩国"),
    gettext_noop("澳大利亚"),
    gettext_noop("新西兰"),
    gettext_noop("加拿大"),
    gettext_noop("俄罗斯"),
    gettext_noop("新加坡"),
    gettext_noop("葡萄牙"),
    gettext_noop("希腊"),
    gettext_noop("巴西"),
    gettext_noop("墨西哥"),
    gettext_noop("南非"),
]
# States outside the Convention (or not in force with China): consular legalisation.
CONSULAR_STATES = [
    gettext_noop("越南"),
    gettext_noop("泰国"),
    gettext_noop("阿联酋"),
    gettext_noop("卡塔尔"),
    gettext_noop("埃及"),
    gettext_noop("马来西亚"),
    gettext_noop("印度尼西亚"),
    gettext_noop("沙特阿拉伯"),
]
DESTINATIONS = (*APOSTILLE_STATES, *CONSULAR_STATES)


def route_for(destination: str) -> str:
    """Which route a document takes after notarisation, by destination ("" = used in China)."""
    if not destination:
        return DOMESTIC
    return APOSTILLE if destination in APOSTILLE_STATES else CONSULAR


def materials_for(matter: Matter, *, abroad: bool) -> tuple[tuple[str, str], ...]:
    return (*matter.materials, *(ABROAD_MATERIALS if abroad else ()))

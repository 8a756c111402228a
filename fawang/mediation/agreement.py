"""The written mediation agreement (人民调解协议书) as a document: one structure, rendered as a
printable page and as a PDF.

People's Mediation Law art. 29: the agreement may state (可以载明) the parties' basic particulars;
the main facts of the dispute, the issues in dispute and each party's responsibility; the content
of the agreement and the manner and time limit of performance; it is signed or sealed by the parties, signed by the mediator and
sealed by the committee. Personal numbers stay masked: the platform copy is not the signed one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from fawang.core.pdf import cjk_font_name
from fawang.mediation.models import Agreement, Party, PartyRole


@dataclass(frozen=True)
class PartyLine:
    role: str
    name: str
    gender: str
    id_number: str
    phone: str
    address: str


@dataclass(frozen=True)
class AgreementDocument:
    title: str
    number: str
    committee: str
    parties: list[PartyLine]
    facts: str
    issues: str
    responsibilities: str
    terms: str
    performance: str
    signed_on: str
    mediators: list[str]
    signatures: list[str]

    @property
    def sections(self) -> list[tuple[str, str]]:
        return [
            ("纠纷主要事实", self.facts),
            ("争议事项", self.issues),
            # 人民调解法 第二十九条第一款第二项: 各方当事人的责任 (when the mediation settled it).
            *([("各方当事人的责任", self.responsibilities)] if self.responsibilities else []),
            ("经调解，双方自愿达成如下协议", self.terms),
            ("履行方式和期限", self.performance),
            (
                "协议效力",
                "本协议经双方当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会"
                "印章之日起生效，具有法律约束力，当事人应当按照约定履行（《中华人民共和国人民调解法》"
                "第三十一条）。双方可自本协议生效之日起三十日内共同向人民法院申请司法确认"
                "（第三十三条）。",
            ),
        ]


def _party_line(party: Party) -> PartyLine:
    return PartyLine(
        role=party.get_role_display(),
        name=party.name,
        gender=party.get_gender_display() if party.gender else "",
        id_number=str(party.id_number) if party.id_number else "",
        phone=str(party.phone) if party.phone else "",
        address=party.address,
    )


def build_document(agreement: Agreement) -> AgreementDocument:
    dispute = agreement.dispute
    parties = list(dispute.parties.all())
    committee = dispute.committee.name if dispute.committee else ""
    return AgreementDocument(
        title="人民调解协议书",
        number=f"{dispute.number}",
        committee=committee,
        parties=[_party_line(p) for p in parties],
        facts=agreement.facts,
        issues=agreement.issues,
        responsibilities=agreement.responsibilities,
        terms=agreement.terms,
        performance=(
            f"{agreement.performance_manner}；履行期限：{agreement.performance_deadline:%Y年%m月%d日}前。"
        ),
        signed_on=f"{agreement.signed_on:%Y年%m月%d日}",
        mediators=[m.name for m in dispute.mediators.all()],
        signatures=[
            *(f"{PartyRole(p.role).label}（签名、盖章或按指印）：{p.name}" for p in parties),
            "人民调解员（签名）：" + "、".join(m.name for m in dispute.mediators.all()),
            f"{committee}（印章）",
        ],
    )


def render_pdf(document: AgreementDocument) -> bytes:
    """A4 PDF in the platform's embedded Chinese font (``core.pdf``)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    body = ParagraphStyle("body", fontName=cjk_font_name(), fontSize=11, leading=18, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=body, fontSize=12, spaceBefore=8)
    title = ParagraphStyle("title", parent=body, fontSize=18, leading=26, alignment=1)
    story = [
        Paragraph(escape(document.title), title),
        Paragraph(escape(f"编号：{document.number}　　{document.committee}"), body),
        Spacer(1, 8),
    ]
    for party in document.parties:
        text = f"{party.role}：{party.name}"
        for label, value in (
            ("性别", party.gender),
            ("身份证号码", party.id_number),
            ("联系电话", party.phone),
            ("住址", party.address),
        ):
            if value:
                text += f"，{label}：{value}"
        story.append(Paragraph(escape(text), body))
    for label, text in document.sections:
        story.append(Paragraph(escape(label), heading))
        story.append(Paragraph(escape(text).replace("\n", "<br/>"), body))
    story.append(Spacer(1, 16))
    for line in document.signatures:
        story.append(Paragraph(escape(line), body))
    story.append(Paragraph(escape(f"签订日期：{document.signed_on}"), body))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=document.title, author="fawang").build(story)
    return buffer.getvalue()

"""DEMO ONLY: legal education on the real regions, made through the services. The township
office (demo-supervisor-township, a Chaoyang street office) writes; the Chaoyang bureau
(demo-supervisor-district) reviews and publishes; one draft waits for review. Activities in the
township, legal-culture sites in its villages and three mountain-feature sites in Mentougou's
villages (马栏村, 西斋堂村, 水峪嘴村: real villages, the sites are demo), a 民主法治示范村, and two
"谁执法谁普法" lists. Idempotent: a second run creates nothing new."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput
from fawang.core.models import Region, RegionLevel, User
from fawang.education import services
from fawang.education.models import EducationContent, LegalCultureSite, ResponsibilityList

MOUNTAIN_VILLAGES = ("110109106203", "110109106201", "110109108203")  # 马栏、西斋堂、水峪嘴

CONTENT = (
    # kind, title, summary, question, body, groups, topics, statutes, publish
    (
        "case",
        "典型案例：以“养老投资”为名的非法集资，老人如何追回损失",
        "某老年人被以高息“养老项目”为名骗取积蓄，经报警和诉讼追回部分款项。",
        "",
        "基本案情：王某（72岁）经熟人介绍参加所谓“养老公寓投资”，承诺年息18%，先后交付12万元。"
        "后该公司人去楼空。\n处理结果：王某在法律援助律师帮助下报案并提起诉讼，公安机关以非法吸收"
        "公众存款立案侦查，追回部分款项。\n以案释法：高息承诺、拉人头、要求保密，都是非法集资的"
        "常见特征。老年人遇到“保本高息”的养老项目，应先向子女和社区核实，发现受骗及时报警。",
        ["elderly"],
        ["consumer", "debt"],
        ["民法典第148条"],
        True,
    ),
    (
        "qa",
        "农民工被拖欠工资怎么办？",
        "",
        "在工地干了三个月，包工头一直拖着不发工资，我该找谁？",
        "可以向工程所在地的人力资源社会保障部门（劳动保障监察）投诉，也可以申请劳动仲裁；"
        "建设单位、施工总承包单位依法承担清偿责任。经济困难的，可以申请法律援助。",
        ["migrant_worker"],
        ["labour"],
        ["劳动合同法第30条", "劳动合同法第85条"],
        True,
    ),
    (
        "article",
        "民法典里的“离婚冷静期”",
        "协议离婚的三十日冷静期如何计算、如何撤回。",
        "",
        "自婚姻登记机关收到离婚登记申请之日起三十日内，任何一方不愿意离婚的，可以向婚姻登记机关"
        "撤回离婚登记申请。期限届满后三十日内，双方应当亲自到婚姻登记机关申请发给离婚证；未申请的，"
        "视为撤回离婚登记申请。",
        ["farmer", "youth", "elderly"],
        ["marriage_family"],
        ["民法典第1077条"],
        True,
    ),
    (
        "video",
        "青少年防范校园欺凌普法微视频",
        "以情景剧讲解校园欺凌的法律后果。",
        "",
        "微视频通过三个情景，讲解校园欺凌可能承担的民事、行政乃至刑事责任，以及受害学生如何求助。",
        ["youth"],
        ["tort"],
        ["未成年人保护法第39条"],
        False,
    ),
)

DUTIES = (
    ("北京市朝阳区市场监督管理局", ["在执法过程中开展以案释法", "面向商户宣传产品质量和消费者权益保护法律",
                          "每季度报送普法活动"]),
    ("北京市朝阳区人力资源和社会保障局", ["开展保障农民工工资支付条例宣传", "在劳动保障监察中实时普法"]),
)  # fmt: skip


def _content(author: User, reviewer: User) -> int:
    made = 0
    for kind, title, summary, question, body, groups, topics, statutes, publish in CONTENT:
        if EducationContent.objects.filter(title=title).exists():
            continue
        content = services.create_content(
            services.ContentIn(
                kind=kind, title=title, summary=summary, question=question, body=body,
                groups=groups, topics=topics, statutes=statutes,
                video_url="https://www.moj.gov.cn/" if kind == "video" else "",
                video_minutes=6 if kind == "video" else "",
                video_source="演示：司法行政普法微视频" if kind == "video" else "",
            ),
            acting_user=author,
        )  # fmt: skip
        services.submit_content(content, acting_user=author)
        if publish:
            services.publish_content(content, "内容准确，同意发布。", acting_user=reviewer)
        made += 1
    return made


def _grassroots(township_user: User, city_user: User) -> int:
    township = township_user.region
    if township is None or LegalCultureSite.objects.filter(recorded_by=township_user).exists():
        return 0
    today = timezone.localdate()
    villages = list(
        Region.objects.filter(parent=township, level=RegionLevel.VILLAGE).order_by("code")
    )
    made = 0
    for village in villages[: max(1, len(villages) * 2 // 3)]:
        services.register_site(
            services.SiteIn(name=f"{village.name.removesuffix('居委会').removesuffix('村委会')}法治宣传栏",
                            kind="board", region_code=village.code,
                            opened_on=today - timedelta(days=200)),
            acting_user=township_user,
        )  # fmt: skip
        made += 1
    for code in MOUNTAIN_VILLAGES:
        mountain = Region.objects.filter(code=code).first()
        if mountain is None:
            continue
        services.register_site(
            services.SiteIn(name=f"{mountain.name.removesuffix('村委会')}村山区法治文化广场", kind="park",
                            region_code=code, opened_on=today - timedelta(days=90),
                            mountain_feature=True),
            acting_user=city_user,
        )  # fmt: skip
        made += 1
    if villages:
        services.record_model_village(
            villages[0].code,
            "city",
            today - timedelta(days=300),
            "演示批次",
            acting_user=township_user,
        )
    campaigns = (
        ("lecture", "constitution_week", "宪法宣传周进社区法治讲座", 80, ["elderly", "youth"]),
        ("campaign", "civil_code_month", "民法典宣传月广场宣传", 260, ["farmer", "migrant_worker"]),
    )
    site = LegalCultureSite.objects.filter(recorded_by=township_user).first()
    for kind, campaign, title, audience, groups in campaigns:
        services.record_activity(
            services.ActivityIn(kind=kind, campaign=campaign, title=title,
                                organiser=f"{township.name}司法所", region_code=township.code,
                                held_on=today - timedelta(days=30), audience=audience,
                                groups=groups, site_id=site.pk if site else None),
            acting_user=township_user,
        )  # fmt: skip
        made += 1
    return made


def _responsibility(bureau: User) -> int:
    if bureau.region is None or ResponsibilityList.objects.filter(recorded_by=bureau).exists():
        return 0
    year = timezone.localdate().year
    lists = [
        services.create_list(name, bureau.region.code, year, duties, acting_user=bureau)
        for name, duties in DUTIES
    ]
    services.record_activity(
        services.ActivityIn(kind="consultation", title="消费者权益保护法律咨询日",
                            organiser=lists[0].department, region_code=bureau.region.code,
                            held_on=timezone.localdate() - timedelta(days=20), audience=150,
                            groups=["enterprise"], topics=["consumer"],
                            department_id=lists[0].pk),
        acting_user=bureau,
    )  # fmt: skip
    services.assess(lists[1], 86, "资料审查、问卷调查", "", acting_user=bureau)
    return len(lists)


def build_demo_education() -> dict[str, int]:
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["demo-supervisor-township", "demo-supervisor-district",
                          "demo-supervisor-city"]
        ).select_related("region")
    }  # fmt: skip
    author = users.get("demo-supervisor-township")
    reviewer = users.get("demo-supervisor-district")
    city = users.get("demo-supervisor-city")
    if author is None or reviewer is None or city is None:
        return {"content": 0, "records": 0, "lists": 0}
    with transaction.atomic():
        counts = {
            "content": _content(author, reviewer),
            "records": _grassroots(author, city),
            "lists": _responsibility(reviewer),
        }
        if any(counts.values()):
            record_event("demo.education", actor="fawang demo", detail=counts)
    return counts

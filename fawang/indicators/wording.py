"""Indicators as a person reads them: a formula in words, the policy documents by their names.

The packs keep formulas over counter names (``pct(workorders.web_claimed_in_time, …)``) and cite
the documents by short keys (``BJ-measures 10``); pages and reports show these words instead."""

from __future__ import annotations

import re

# Every counter the shipped packs' formulas use; an unknown one is shown as "平台统计数".
COUNTER_LABELS = {
    "core.appraisal_institutions": "司法鉴定机构数",
    "core.appraisers": "司法鉴定人数",
    "core.appraisers_full_time": "专职司法鉴定人数",
    "core.lawyers": "律师人数",
    "core.mediators": "人民调解员人数",
    "core.mediators_full_time": "专职人民调解员人数",
    "core.notaries": "公证员人数",
    "core.notary_offices": "公证机构数",
    "legal_aid.cases_opened": "法律援助立案数",
    "legal_aid.cases_previous_year": "上年度法律援助案件数",
    "legal_aid.centre_lawyers": "法律援助中心律师数",
    "legal_aid.centre_public_sector_lawyers": "法律援助中心公职律师数",
    "legal_aid.centres": "法律援助中心数",
    "legal_aid.centres_meeting_hearing_target": "庭审旁听达标的法律援助中心数",
    "legal_aid.notices_assigned": "已指派的通知辩护（代理）数",
    "legal_aid.notices_received": "收到的通知辩护（代理）数",
    "legal_aid.quality_reviews": "质量评查案件数",
    "legal_aid.reviews_excellent_or_good": "评查为优良的案件数",
    "appraisal.appraisers_senior_title": "具有高级职称的司法鉴定人数",
    "appraisal.districts": "区（县）数",
    "appraisal.districts_with_mediation_appraisal": "已开展“鉴调一体”的区（县）数",
    "appraisal.opinions_issued": "出具的司法鉴定意见书数",
    "appraisal.valid_complaints": "成立的司法鉴定投诉数",
    "appraisal.licensed_forensic_dna": "执业范围含法医物证鉴定的鉴定机构数",
    "appraisal.accredited_forensic_dna": "法医物证鉴定已通过资质认定的鉴定机构数",
    "appraisal.licensed_forensic_toxicology": "执业范围含法医毒物鉴定的鉴定机构数",
    "appraisal.accredited_forensic_toxicology": "法医毒物鉴定已通过资质认定的鉴定机构数",
    "appraisal.licensed_trace_evidence": "执业范围含微量物证鉴定的鉴定机构数",
    "appraisal.accredited_trace_evidence": "微量物证鉴定已通过资质认定的鉴定机构数",
    "appraisal.licensed_environmental": "执业范围含环境损害司法鉴定的鉴定机构数",
    "appraisal.accredited_environmental": "环境损害司法鉴定已通过资质认定的鉴定机构数",
    "appraisal.licensed_electronic_data": "执业范围含电子数据鉴定的鉴定机构数",
    "appraisal.accredited_electronic_data": "电子数据鉴定已通过资质认定的鉴定机构数",
    "appraisal.institutions_with_key_parent": "母体为重点高校、科研院所、高科技企业的鉴定机构数",
    "hotline.calls_offered": "热线呼入量",
    "hotline.calls_answered": "热线接通量",
    "hotline.rated_calls": "已评价的热线来电数",
    "hotline.rated_calls_satisfied": "评价满意的热线来电数",
    "advisers.villages": "村（居）数",
    "advisers.villages_with_adviser": "配备法律顾问的村（居）数",
    "advisers.villages_with_liaison": "配备“法律明白人”的村（居）数",
    "advisers.liaisons": "“法律明白人”人数",
    "arbitration.awards": "作出的仲裁裁决数",
    "arbitration.awards_set_aside_or_not_enforced": "被撤销或不予执行的仲裁裁决数",
    "education.districts": "区（县）数",
    "education.model_villages_recent": "近两年命名的民主法治示范村（社区）数",
    "education.mountain_sites": "山区特色法治文化阵地数",
    "education.villages": "村（社区）数",
    "education.villages_with_culture_site": "建有法治文化阵地的村（社区）数",
    "legal_aid.reviews_passed": "评查合格的案件数",
    "lawyers.firms_inspected": "年度检查考核的律师事务所数",
    "lawyers.firms_party_building_standard": "党建工作规范化建设达标的律师事务所数",
    "lawyers.firms_with_independent_party_org": "单独建立党组织的有党员律师事务所数",
    "lawyers.firms_with_party_members": "有党员的律师事务所数",
    "lawyers.foreign_senior_talents": "涉外律师领军和优秀人才数",
    "lawyers.group_activities": "律师法律服务志愿团、巡回服务团活动次数",
    "lawyers.international_leading_firms": "国际一流律师事务所数",
    "lawyers.placements_started": "青年律师跟班学习人数",
    "lawyers.public_interest_hours": "已确认的律师公益法律服务时长（小时）",
    "lawyers.public_sector_and_company_lawyers": "公职律师和公司律师人数",
    "lawyers.red_lawyer_group_members": "“红律助”公益法律服务团人数",
    "lawyers.spot_checks": "年度检查考核抽查的律师事务所数",
    "lawyers.spot_checks_passed": "年度检查考核抽查合格的律师事务所数",
    "mediation.committees_with_quota": "应配专职调解员的调委会数",
    "mediation.committees_with_quota_met": "专职调解员配备达标的调委会数",
    "mediation.featured_rooms": "个人（特色）调解室数",
    "mediation.mediators": "人民调解员人数",
    "mediation.mediators_training_met": "年度培训达标的调解员数",
    "mediation.screenings_done": "已完成的矛盾纠纷排查次数",
    "mediation.screenings_due": "应开展的矛盾纠纷排查次数",
    "mediation.township_committees": "乡镇（街道）调委会数",
    "mediation.township_committees_meeting_quota": "专职调解员配备达标的乡镇（街道）调委会数",
    "notary.certificates_issued": "出具公证书数",
    "notary.certificates_one_visit": "“最多跑一次”办结的公证书数",
    "notary.notaries_mid_title": "具有中级以上职称的公证员数",
    "notary.offices_online": "开通线上公证的公证机构数",
    "workorders.web_claimed_in_time": "网络平台工单按时领取数",
    "workorders.web_created": "网络平台工单数",
    "network.districts_with_centre": "已建成公共法律服务中心的区（县）数",
    "network.townships_with_station": "已建成公共法律服务工作站的乡镇（街道）数",
    "network.districts": "区（县）数",
    "network.townships": "乡镇（街道）数",
    "network.villages": "村（社区）数",
    "network.villages_with_committee": "设有人民调解委员会的村（社区）数",
    "network.townships_with_committee": "设有人民调解委员会的乡镇（街道）数",
    "network.demonstration_points": "公共法律服务品牌示范点数",
    "network.tech_park_stations": "科技创业园区公共法律服务工作站点数",
    "network.stations_and_rooms": "乡镇（街道）工作站和村（社区）工作室数",
    "network.inspections": "对站、室的监督指导次数",
    "network.video_service_realised": "已实现远程视频云服务（是=1）",
    "network.villages_covered_measured": "按实测坐标达到“城区一刻钟、农村半小时”的村（社区）数",
    "network.villages_covered_estimated": "按估算位置达到“城区一刻钟、农村半小时”的村（社区）数",
}

# The short keys the packs cite the documents by (REQUIREMENTS.md), and the documents' names.
DOCUMENTS = {
    "BJ-measures": "《北京市司法局关于深入推进公共法律服务均衡发展的若干措施》",
    "BJ-list": "《北京市公共法律服务“规范提升 均衡发展”三年行动清单（2025—2027年）》",
    "SJZ": "《石家庄市公共法律服务体系建设规划（2021—2025年）》",
}

_NAME = re.compile(r"\b[a-z_]+\.[a-z0-9_]+\b")


def _label(match: re.Match[str]) -> str:
    return COUNTER_LABELS.get(match.group(0), "平台统计数")


def formula_text(formula: str) -> str:
    """``pct(a, b)`` → "a ÷ b × 100%", ``latest(x)`` → "x（期末数）", ``per_10k(x)`` →
    "x ÷ 常住人口 × 1万", with every counter by its Chinese label."""
    text = _NAME.sub(_label, formula)
    text = re.sub(r"latest\(([^()]*)\)", r"\1（期末数）", text)
    text = re.sub(r"per_100k\(([^()]*)\)", r"\1 ÷ 常住人口 × 10万", text)
    text = re.sub(r"per_10k\(([^()]*)\)", r"\1 ÷ 常住人口 × 1万", text)
    text = re.sub(r"pct\(([^(),]*),\s*([^()]*)\)", r"\1 ÷ \2 × 100%", text)
    return text


def passage_text(passage: str) -> str:
    """The policy passage with the document's name for its short key (``BJ-measures 10：…``)."""
    for key in sorted(DOCUMENTS, key=len, reverse=True):
        passage = re.sub(rf"\b{re.escape(key)}\s*", DOCUMENTS[key] + " ", passage)
    return passage

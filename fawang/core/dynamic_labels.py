"""Labels that reach templates as data (`{% translate label %}`): queue and button names,
law statuses, citation-check results, knowledge-base sources. Listed here only so that
`make messages` extracts them for translation; nothing imports this module."""

from django.utils.translation import gettext_noop

DYNAMIC_LABELS = (
    gettext_noop("我的工单"),
    gettext_noop("本机构队列"),
    gettext_noop("超时工单"),
    gettext_noop("督办工单"),
    gettext_noop("全部（管辖范围内）"),
    gettext_noop("领取此工单"),
    gettext_noop("提交答复"),
    gettext_noop("退回重新分派"),
    gettext_noop("督办此工单"),
    gettext_noop("发出督办"),
    gettext_noop("现行有效"),
    gettext_noop("已被修改"),
    gettext_noop("已废止"),
    gettext_noop("历史版本"),
    gettext_noop("引用正确"),
    gettext_noop("未找到该法律"),
    gettext_noop("该条不存在"),
    gettext_noop("法律已失效"),
    gettext_noop("该条已删去"),
    gettext_noop("已停用"),
    gettext_noop("人工编辑"),
    gettext_noop("标准数据文件"),
    gettext_noop("Excel 导入"),
)

"""The console's own links: reference data, accounts, the audit trail, the admin site."""

from django.utils.translation import gettext_lazy as _

from fawang.core.models import STAFF_READER_ROLES, SUPERVISOR_ROLES
from fawang.core.registry import CONSOLE, Declaration, NavEntry

REGISTRY = Declaration(
    name="console",
    label=_("工作台"),
    business_line=False,
    urls="fawang.console.urls",
    url_prefix="console/",
    nav=(
        NavEntry(CONSOLE, _("账户管理"), "console:accounts", ("security_admin",), order=1,
                 home_tile=_("员工账户、锁定与令牌")),
        NavEntry(CONSOLE, _("审计日志"), "console:audit_events", ("auditor",), order=1,
                 home_tile=_("审计日志")),
        NavEntry(CONSOLE, _("个人信息查看记录"), "console:personal_data_accesses", ("auditor",),
                 order=2, home_tile=_("个人信息查看记录")),
        NavEntry(CONSOLE, _("参考数据"), "admin:index", ("system_admin",), order=1,
                 home_tile=_("参考数据（区划、机构、人员）")),
        NavEntry(CONSOLE, _("节假日安排"), "console:holidays", ("system_admin",), order=2,
                 home_tile=_("录入国务院公布的放假和调休安排")),
        NavEntry(CONSOLE, _("热词普法主题"), "console:education_themes", SUPERVISOR_ROLES,
                 order=63, home_tile=_("咨询热点转为普法主题")),
        NavEntry(CONSOLE, _("机构"), "console:institutions", STAFF_READER_ROLES, order=200,
                 home_tile=_("机构")),
        NavEntry(CONSOLE, _("法律服务人员"), "console:practitioners", STAFF_READER_ROLES, order=201,
                 home_tile=_("法律服务人员")),
    ),
)  # fmt: skip

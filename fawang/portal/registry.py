"""The portal's own pages: home, login, registration, the citizen's account."""

from django.utils.translation import gettext_lazy as _

from fawang.core.registry import PORTAL, Declaration, NavEntry

REGISTRY = Declaration(
    name="portal",
    label=_("群众门户"),
    business_line=False,
    urls="fawang.portal.urls",
    nav=(NavEntry(PORTAL, _("机构人员查询"), "portal:directory", order=90),),
)

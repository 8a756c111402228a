"""The entrusting party downloads an issued document itself, with the document's 提取码
(download code): texted to the entrusting party when the document is issued, passed on by it to
whoever it authorises, re-issued by the institution (the old code then stops working). Wrong
codes are counted per client like the other public look-ups (``core.throttle``)."""

from __future__ import annotations

import hmac
import ipaddress

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.appraisal.models import Opinion, OpinionStatus
from fawang.appraisal.services._common import _require_appraiser
from fawang.appraisal.services.codes import (
    download_code_hash,
    new_download_code,
    normalise_download_code,
    opinion_by_code,
)
from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput
from fawang.core.models import User
from fawang.core.rows import lock
from fawang.core.tasks import queue_sms_to_record
from fawang.core.throttle import count_failure, refuse_if_exhausted

DOWNLOAD_FAILURES_PER_HOUR = 10
PUBLIC_DOWNLOAD = "提取码下载"  # the audit trail's actor: a person without an account


def download_document(code: str, download_code: str, *, client: str = "") -> Opinion:
    """Anyone holding a document's verification code (or case code) and its current 提取码 gets
    the signed PDF; the download is audited. A wrong or old code counts against the client: after
    ten in an hour it is refused (429) for the rest of the hour. A withdrawn document is not
    handed out."""
    key = f"appraisal-download-failures:{client}"
    refuse_if_exhausted(key, DOWNLOAD_FAILURES_PER_HOUR)
    if not (code or "").strip():
        raise InvalidInput(_("请输入查询验证码或案件赋码。"), code="required", field="code")
    opinion = opinion_by_code(code)
    given = normalise_download_code(download_code)
    if (
        opinion is None
        or not opinion.download_code_hash
        or not hmac.compare_digest(
            opinion.download_code_hash, download_code_hash(opinion.case_code, given)
        )
    ):
        count_failure(key)
        raise InvalidInput(
            _("提取码不正确或已失效，请核对短信中的提取码；如已重新发放，请使用新的提取码。"),
            code="wrong_download_code",
            field="download_code",
        )
    if opinion.status == OpinionStatus.WITHDRAWN:
        raise Conflict(_("该文书已被撤回，不再提供下载。"), code="already_withdrawn")
    with transaction.atomic():
        record_event(
            "appraisal.document_downloaded",
            actor=PUBLIC_DOWNLOAD,
            obj=opinion,
            detail={"case_code": opinion.case_code, "with": "download_code"},
            ip_address=_address(client),
        )
    return opinion


def _address(client: str) -> str | None:
    try:
        return str(ipaddress.ip_address(client))
    except ValueError:
        return None


def reissue_download_code(opinion: Opinion, *, acting_user: User) -> str:
    """The institution issues a new 提取码 (the entrusting party lost it, or a code went further
    than it should): the old one stops working at once; the new one is texted to the entrusting
    party and returned once, for the institution to hand over. Audited."""
    _require_appraiser(acting_user, opinion.entrustment)
    with transaction.atomic():
        opinion = lock(opinion)
        if opinion.status == OpinionStatus.WITHDRAWN:
            raise Conflict(_("该文书已被撤回，不能发放提取码。"), code="already_withdrawn")
        fresh = new_download_code()
        opinion.download_code_hash = download_code_hash(opinion.case_code, fresh)
        opinion.download_code_issued_at = timezone.now()
        opinion.save(update_fields=["download_code_hash", "download_code_issued_at", "updated_at"])
        record_event(
            "appraisal.download_code_reissued",
            actor=acting_user,
            obj=opinion,
            detail={"case_code": opinion.case_code},
        )
        queue_sms_to_record(
            opinion.entrustment,
            "entrusting_phone",
            f"【法网】鉴定文书{opinion.case_code}的提取码已重新发放：{fresh}，原提取码已失效。",
        )
    return fresh

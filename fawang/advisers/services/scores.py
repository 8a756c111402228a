"""Village-adviser use cases: the quarter's committee and township scores."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.advisers.models import CommunityAdviser, ThreePartyEvaluation
from fawang.advisers.services._common import _int, _require_supervisor
from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput
from fawang.core.models import User
from fawang.core.validation import clean_text


def score_quarter(
    adviser: CommunityAdviser,
    year: Any,
    quarter: Any,
    *,
    committee_score: Any = None,
    committee_rater: str = "",
    ledger_score: Any = None,
    ledger_note: str = "",
    acting_user: User,
) -> ThreePartyEvaluation:
    """The 村(居)委会's score (entered by the township office from the committee's form, with the
    rater's name) and the township office's score of the ledger, each 0–100."""
    _require_supervisor(acting_user, adviser.village)
    y = _int(year, "year", _("年度"), least=2020, most=2100)
    q = _int(quarter, "quarter", _("季度"), least=1, most=4)
    committee = ledger = None
    if committee_score not in (None, ""):
        committee = _int(
            committee_score, "committee_score", _("村（居）委会评分"), least=0, most=100
        )
        committee_rater = clean_text(committee_rater, 100, "committee_rater", "村（居）委会评价人")
    if ledger_score not in (None, ""):
        ledger = _int(ledger_score, "ledger_score", _("台账评分"), least=0, most=100)
    if committee is None and ledger is None:
        raise InvalidInput(_("请至少填写一项评分。"), code="required", field="committee_score")
    note = clean_text(ledger_note, 500, "ledger_note", "台账评审意见", required=False)
    with transaction.atomic():
        row, _created = ThreePartyEvaluation.objects.select_for_update().get_or_create(
            adviser=adviser, year=y, quarter=q, defaults={"updated_by": acting_user}
        )
        if committee is not None:
            row.committee_score, row.committee_rater = committee, committee_rater
        if ledger is not None:
            row.ledger_score, row.ledger_note = ledger, note
        row.updated_by, row.updated_at = acting_user, timezone.now()
        row.save()
        record_event(
            "advisers.evaluation_scored",
            actor=acting_user,
            obj=row,
            detail={"quarter": f"{y}Q{q}", "committee": committee, "ledger": ledger},
        )
    return row

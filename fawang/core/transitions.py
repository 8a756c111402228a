"""Declared state transitions: each model lists its verbs once, every service checks against it.

A table maps a verb to ``(statuses it may start from, status it leads to)``; ``None`` as the
result means the verb does not change the status (a rating, a follow-up)::

    TRANSITIONS = {
        "claim": (frozenset({Status.QUEUED}), Status.CLAIMED),
        "rate": (frozenset({Status.REPLIED, Status.CLOSED}), None),
    }

A service declares once what its refusals say — :class:`Transitions` (the table, the record's
noun, the status labels, the verb labels) — and checks every verb with :func:`check_transition`.
Nouns and verb labels are ``pgettext_lazy("transition", …)``: in English the refusal reads
'Claiming is not possible while the work order is "Replied".', so a verb's English is the
capitalised -ing form and a noun's is lower case.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from django.db import models
from django.utils.translation import gettext, pgettext

from fawang.core.errors import Conflict

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # str or a lazy translation (the stubs' package)

# The resulting status: str, or str | None where some verbs leave the status as it is.
S = TypeVar("S", bound=str | None)
TransitionTable = Mapping[str, tuple[Collection[str], S]]


@dataclass(frozen=True)
class Transitions(Generic[S]):
    """A transition table with the words of its refusal: “工单当前状态为“已答复”，不能领取。”"""

    table: TransitionTable[S]
    noun: StrOrPromise = ""  # 工单, 纠纷, 条目… (empty: “当前状态为…”)
    statuses: type[models.Choices] | None = None  # the status labels
    verb_labels: Mapping[str, StrOrPromise] = field(default_factory=dict)  # else “进行此操作”


def check_transition(
    table: Transitions[S] | TransitionTable[S], current_status: str, verb: str
) -> S:
    """The status ``verb`` leads to from ``current_status`` (None: it does not change), or
    ``Conflict`` with code ``bad_state`` when the table does not allow the verb from there."""
    declared = table if isinstance(table, Transitions) else Transitions(table)
    allowed_from, to_status = declared.table[verb]
    if current_status in allowed_from:
        return to_status
    labels = dict(declared.statuses.choices) if declared.statuses is not None else {}
    words = {
        "status": str(labels.get(current_status, current_status)),
        "action": str(declared.verb_labels.get(verb) or pgettext("transition", "进行此操作")),
        "noun": str(declared.noun),
    }
    if words["noun"]:
        message = gettext("%(noun)s当前状态为“%(status)s”，不能%(action)s。") % words
    else:
        message = gettext("当前状态为“%(status)s”，不能%(action)s。") % words
    raise Conflict(message, code="bad_state")

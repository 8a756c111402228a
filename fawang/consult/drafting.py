"""Optional LLM drafting of a seat's reply, behind any OpenAI-compatible chat-completions
endpoint (``FAWANG_CONSULT_LLM_URL``; off when empty).

The model only drafts: it is given the question, the published standard answers and the statute
articles the engine found, and told to cite only those. Every draft then goes through the
citation check; a draft that cites an article the library lacks or that is not in force is sent
back once with the problems named, and if it still fails it is thrown away — a seat never sees
a draft with a bad citation.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from fawang.audit.services import record_event
from fawang.consult.assist import Suggestions
from fawang.consult.citations import CitationCheck, check_citations
from fawang.core.errors import DomainError
from fawang.core.models import User

MAX_ATTEMPTS = 2
SYSTEM_PROMPT = (
    "你是12348公共法律服务热线的答复助手。请用通俗、准确、简洁的中文，为坐席起草对群众的答复。"
    "只能引用下面提供的法条，引用格式为《法律简称》第X条；不要编造法条，不确定时建议群众进一步咨询。"
    "答复不超过400字，不要包含群众的个人信息。"
)


class DraftingUnavailable(DomainError):
    status = 503
    code = "drafting_unavailable"


@dataclass
class Draft:
    text: str
    checks: list[CitationCheck] = field(default_factory=list)
    attempts: int = 0
    accepted: bool = False
    problems: list[str] = field(default_factory=list)


def enabled() -> bool:
    return bool(settings.CONSULT_LLM_URL)


def _context(suggestions: Suggestions) -> str:
    parts = []
    for item in suggestions.entries:
        version = item.entry.current_version
        if version is not None:
            parts.append(f"【标准答复】{version.question}\n{version.answer}")
    for found in suggestions.articles:
        article = found.article
        parts.append(f"【法条】《{article.law.short_name}》{article.number_text}：{article.text}")
    return "\n\n".join(parts)


def _chat(messages: list[dict[str, str]]) -> str:
    url = settings.CONSULT_LLM_URL.rstrip("/") + "/chat/completions"
    body = json.dumps(
        {"model": settings.CONSULT_LLM_MODEL, "messages": messages, "temperature": 0.2}
    ).encode()
    headers = {"Content-Type": "application/json"}
    if settings.CONSULT_LLM_API_KEY:
        headers["Authorization"] = f"Bearer {settings.CONSULT_LLM_API_KEY}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(
            request, timeout=settings.CONSULT_LLM_TIMEOUT_SECONDS
        ) as answer:
            payload: Any = json.load(answer)
        return str(payload["choices"][0]["message"]["content"]).strip()
    except (urllib.error.URLError, TimeoutError, ValueError, KeyError, IndexError, TypeError) as e:
        raise DraftingUnavailable("起草服务暂时不可用，请直接参考下方的标准答复和法条。") from e


def _problems(checks: list[CitationCheck]) -> list[str]:
    return [f"{check.ref.text}：{check.message}" for check in checks if not check.is_ok]


def draft_reply(suggestions: Suggestions, *, acting_user: User) -> Draft:
    """A draft whose citations all pass the check, or a rejected draft with no text."""
    if not enabled():
        raise DraftingUnavailable("本平台未启用智能起草。")
    messages = [
        {"role": "system", "content": SYSTEM_PROMPT},
        {
            "role": "user",
            "content": f"群众的问题：{suggestions.question}\n\n可参考的材料：\n{_context(suggestions)}",
        },
    ]
    draft = Draft(text="")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        text = _chat(messages)
        checks = check_citations(text) if text else []
        draft = Draft(text=text, checks=checks, attempts=attempt, problems=_problems(checks))
        if text and not draft.problems:
            draft.accepted = True
            break
        messages += [
            {"role": "assistant", "content": text},
            {
                "role": "user",
                "content": "以下引用有问题，请改正后重写，只引用提供的法条："
                + "；".join(draft.problems or ["答复为空"]),
            },
        ]
    if not draft.accepted:
        draft.text = ""
    # The question may hold personal data sent to the endpoint: who sent what, and how it ended.
    record_event(
        "consult.draft",
        actor=acting_user,
        obj=None,
        detail={
            "endpoint": settings.CONSULT_LLM_URL,
            "model": settings.CONSULT_LLM_MODEL,
            "question_chars": len(suggestions.question),
            "attempts": draft.attempts,
            "accepted": draft.accepted,
            "rejected_citations": len(draft.problems),
        },
    )
    return draft

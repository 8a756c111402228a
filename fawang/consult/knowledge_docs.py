"""The knowledge-base documents the retrieval index and the classifier learn from: the public
entries of the database, or the seed files while the knowledge base is empty."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from django.db import DatabaseError

from fawang.consult.artifacts import _sha
from fawang.consult.models import normalise_law_name

logger = logging.getLogger("fawang.consult")


@dataclass
class KnowledgeDoc:
    key: str
    topic: str
    question: str
    answer: str
    keywords: list[str]
    citations: list[tuple[str, int]]  # (law short name, article number)
    signature: str = ""

    def __post_init__(self) -> None:
        self.signature = _sha(
            self.key, self.topic, self.question, self.answer, self.keywords, self.citations
        )


def knowledge_seed_paths() -> list[Path]:
    folder = Path(str(resources.files("fawang.consult") / "data" / "knowledge"))
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def _seed_documents() -> list[KnowledgeDoc]:
    docs: list[KnowledgeDoc] = []
    for path in knowledge_seed_paths():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            logger.warning("knowledge seed %s is unreadable; skipped", path)
            continue
        items = loaded.get("entries", []) if isinstance(loaded, dict) else loaded
        for item in items or []:
            if not isinstance(item, dict) or not item.get("question"):
                continue
            citations = []
            for citation in item.get("citations") or []:
                try:
                    number = int(citation["article"])
                except (KeyError, TypeError, ValueError):
                    continue
                citations.append((normalise_law_name(str(citation.get("law", ""))), number))
            docs.append(
                KnowledgeDoc(
                    key=str(item.get("key", "")),
                    topic=str(item.get("topic", "")),
                    question=str(item["question"]),
                    answer=str(item.get("answer", "")),
                    keywords=[str(k) for k in item.get("keywords") or []],
                    citations=citations,
                )
            )
    return docs


def _database_documents() -> list[KnowledgeDoc] | None:
    """Public entries (a published version, not retired); None when the knowledge base has no
    entries at all (or no tables yet), in which case the seed files stand in for it."""
    try:
        from fawang.consult.models import KnowledgeEntry

        if not KnowledgeEntry.objects.exists():
            return None
        entries = (
            KnowledgeEntry.objects.filter(current_version__isnull=False, retired_at__isnull=True)
            .select_related("current_version")
            .prefetch_related("current_version__cited_articles__article__law")
            .order_by("key")
        )
        docs = []
        for entry in entries:
            version = entry.current_version
            assert version is not None
            citations = [
                (link.article.law.short_name, link.article.number)
                for link in version.cited_articles.all()
            ]
            docs.append(
                KnowledgeDoc(
                    key=entry.key,
                    topic=entry.topic,
                    question=version.question,
                    answer=version.answer,
                    keywords=list(version.keywords or []),
                    citations=citations,
                )
            )
        return docs
    except (ImportError, DatabaseError):
        return None


def knowledge_documents() -> list[KnowledgeDoc]:
    docs = _database_documents()
    return _seed_documents() if docs is None else docs

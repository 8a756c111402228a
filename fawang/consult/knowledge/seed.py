"""The standard seed files (``data/knowledge/*.yaml``): loaded published at once, with the system
as author and reviewer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.consult.knowledge._common import (
    _detail,
    _duplicate_keys,
    _new_version,
    _resolve_rows,
    _Row,
    _RowErrors,
)
from fawang.consult.knowledge.content import (
    KnowledgeContent,
    citation_refs,
    clean_key,
    clean_region,
    clean_topic,
)
from fawang.consult.models import KnowledgeEntry, KnowledgeSource, KnowledgeStatus, KnowledgeVersion
from fawang.core.errors import DomainError, InvalidInput

SEED_DIR = Path(__file__).resolve().parent.parent / "data" / "knowledge"
SEED_ACTOR = "fawang load-knowledge"


@dataclass(frozen=True)
class SeedReport:
    files: int
    entries: int
    created: int
    updated: int
    unchanged: int
    # Entries staff have retired, or are revising, which a seed file does not overwrite.
    held: tuple[str, ...] = ()


def _seed_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
    if path.is_file():
        return [path]
    raise InvalidInput(f"找不到知识库数据文件：{path}")


def _read_seed_rows(files: list[Path], errors: _RowErrors) -> list[_Row]:
    rows: list[_Row] = []
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            errors.add(file.name, f"无法读取（{type(error).__name__}）")
            continue
        if data is None:
            continue
        if not isinstance(data, list):
            errors.add(file.name, "内容应为条目列表")
            continue
        for number, item in enumerate(data, start=1):
            label = f"{file.name} 第{number}条"
            if not isinstance(item, Mapping):
                errors.add(label, "条目格式不正确")
                continue
            label = f"{file.name} 第{number}条（{item.get('key') or '无编号'}）"
            try:
                rows.append(
                    _Row(
                        label=label,
                        key=clean_key(item.get("key")),
                        topic=clean_topic(item.get("topic")),
                        region=clean_region(item.get("region") or None),
                        question=item.get("question"),
                        answer=item.get("answer"),
                        keywords=item.get("keywords"),
                        refs=citation_refs(item.get("citations")),
                    )
                )
            except DomainError as error:
                errors.add(label, error)
    return rows


def load_seed_entries(
    path_or_dir: Path | str | None = None, *, actor: Any = SEED_ACTOR
) -> SeedReport:
    """Load the standard entries from YAML files, published at once with the system as author
    and reviewer. Re-running changes nothing; a changed text becomes a new published version.

    Every row is checked first: one bad row (unknown topic, a citation the library lacks, …)
    refuses the whole load, naming each bad row, and nothing is saved.
    """
    files = _seed_files(Path(path_or_dir) if path_or_dir is not None else SEED_DIR)
    errors = _RowErrors()
    rows = _read_seed_rows(files, errors)
    _duplicate_keys(rows, errors)
    _resolve_rows(rows, errors)
    errors.raise_if_any("知识库数据")
    created = updated = unchanged = 0
    held: list[str] = []
    with transaction.atomic():
        existing = {
            entry.key: entry
            for entry in KnowledgeEntry.objects.select_for_update().filter(
                key__in=[row.key for row in rows]
            )
        }
        for row in rows:
            assert row.content is not None
            entry = existing.get(row.key)
            if entry is None:
                _seed_create(row, actor)
                created += 1
                continue
            outcome = _seed_update(entry, row, actor)
            if outcome == "updated":
                updated += 1
            elif outcome == "unchanged":
                unchanged += 1
            else:
                held.append(entry.key)
    return SeedReport(len(files), len(rows), created, updated, unchanged, tuple(held))


def _publish_seed_version(
    entry: KnowledgeEntry, content: KnowledgeContent, number: int
) -> KnowledgeVersion:
    version = _new_version(entry, content, author=None, source=KnowledgeSource.SEED, number=number)
    version.reviewed_at = version.published_at = version.created_at
    version.save(update_fields=["reviewed_at", "published_at"])
    return version


def _seed_create(row: _Row, actor: Any) -> None:
    assert row.content is not None
    now = timezone.now()
    entry = KnowledgeEntry.objects.create(
        key=row.key,
        topic=row.topic,
        region=row.region,
        status=KnowledgeStatus.PUBLISHED,
        created_at=now,
        updated_at=now,
        published_at=now,
    )
    version = _publish_seed_version(entry, row.content, 1)
    entry.current_version = version
    entry.save(update_fields=["current_version"])
    record_event("knowledge.seed_create", actor=actor, obj=entry, detail=_detail(entry, version))


def _seed_update(entry: KnowledgeEntry, row: _Row, actor: Any) -> str:
    assert row.content is not None
    versions = list(entry.versions.prefetch_related("cited_articles").order_by("-number"))
    last_seed = next((v for v in versions if v.source == KnowledgeSource.SEED), None)
    same_place = entry.topic == row.topic and entry.region_id == (
        row.region.pk if row.region else None
    )
    if same_place and (row.content.same_as(last_seed) or row.content.same_as(versions[0])):
        return "unchanged"
    if entry.status != KnowledgeStatus.PUBLISHED or versions[0].pk != entry.current_version_id:
        return "held"  # staff retired it or are revising it: their work is not overwritten
    version = _publish_seed_version(entry, row.content, versions[0].number + 1)
    now = timezone.now()
    entry.topic = row.topic
    entry.region = row.region
    entry.current_version = version
    entry.published_at = now
    entry.updated_at = now
    entry.save(update_fields=["topic", "region", "current_version", "published_at", "updated_at"])
    record_event(
        "knowledge.seed_update",
        actor=actor,
        obj=entry,
        detail=_detail(entry, version, replaced_version=versions[0].number),
    )
    return "updated"

"""Knowledge-base entries exchanged with Excel: export a workbook, import one as draft versions."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from fawang.consult.citations import ref_label
from fawang.consult.knowledge._common import (
    _UNCHANGED,
    _duplicate_keys,
    _require_region,
    _require_role,
    _resolve_rows,
    _Row,
    _RowErrors,
)
from fawang.consult.knowledge.content import (
    clean_key,
    clean_region,
    clean_topic,
    parse_citation_text,
)
from fawang.consult.knowledge.workflow import _create, _revise
from fawang.consult.models import Article, KnowledgeEntry, KnowledgeSource
from fawang.consult.selectors import KNOWLEDGE_EDITOR_ROLES, citations_prefetch, latest_version
from fawang.core.errors import DomainError, InvalidInput
from fawang.core.models import User

# The spreadsheet: these columns, in this order (import also accepts the Chinese headings).
SHEET_COLUMNS = (
    "key",
    "topic",
    "question",
    "answer",
    "keywords",
    "citations",
    "status",
    "version",
    "region",
)
SHEET_HEADINGS = {
    "编号": "key",
    "分类": "topic",
    "咨询分类": "topic",
    "问题": "question",
    "答复": "answer",
    "标准答复": "answer",
    "关键词": "keywords",
    "法律依据": "citations",
    "状态": "status",
    "版本": "version",
    "地区": "region",
    "适用地区": "region",
}
SHEET_REQUIRED = ("key", "topic", "question", "answer", "keywords", "citations")
MAX_SHEET_ROWS = 5000
MAX_SHEET_BYTES = 10 * 1024 * 1024


def citations_text(articles: Iterable[Article]) -> str:
    """《民法典》第一千零七十九条；《劳动合同法》第三十八条 — what the import reads back."""
    return "；".join(ref_label((a.law.short_name, a.number, a.suffix)) for a in articles)


def _text_cell(cell: Any, value: Any) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with


def export_entries_xlsx(entries: QuerySet[KnowledgeEntry], *, published_only: bool) -> bytes:
    """Entries as an .xlsx workbook: the published version of each, or (for staff) the newest."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "知识库"
    sheet.append(list(SHEET_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    entries = entries.select_related("region").prefetch_related(citations_prefetch("versions__"))
    for entry in entries:
        versions = sorted(entry.versions.all(), key=lambda v: v.number)
        if published_only:
            version = next((v for v in versions if v.pk == entry.current_version_id), None)
        else:
            version = versions[-1] if versions else None
        if version is None:
            continue
        values = [
            entry.key,
            entry.topic,
            version.question,
            version.answer,
            "、".join(version.keywords),
            citations_text(version.ordered_citations()),
            entry.status,
            version.number,
            entry.region.code if entry.region else "",
        ]
        row = sheet.max_row + 1
        for column, value in enumerate(values, start=1):
            _text_cell(sheet.cell(row=row, column=column), value)
    widths = {"A": 16, "B": 16, "C": 40, "D": 80, "E": 24, "F": 48, "G": 12, "H": 8, "I": 16}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class SheetReport:
    rows: int
    created: tuple[str, ...]
    revised: tuple[str, ...]
    unchanged: tuple[str, ...]


def _sheet_rows(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    if len(data) > MAX_SHEET_BYTES:
        raise InvalidInput(f"文件过大：不超过{MAX_SHEET_BYTES // (1024 * 1024)} MB。", field="file")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput("不是有效的 Excel 文件（.xlsx）。", field="file") from None
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None)
        if header is None:
            raise InvalidInput("表格是空的。", field="file")
        names = [str(value or "").strip() for value in header]
        columns = {SHEET_HEADINGS.get(name, name.lower()): i for i, name in enumerate(names)}
        missing = [name for name in SHEET_REQUIRED if name not in columns]
        if missing:
            raise InvalidInput(f"表头缺少列：{'、'.join(missing)}。", field="file")
        rows: list[tuple[int, dict[str, Any]]] = []
        for number, line in enumerate(lines, start=2):
            if all(value is None or str(value).strip() == "" for value in line):
                continue
            if len(rows) >= MAX_SHEET_ROWS:
                raise InvalidInput(f"一次最多导入{MAX_SHEET_ROWS}行。", field="file")
            rows.append(
                (
                    number,
                    {
                        name: line[i] if i < len(line) else None
                        for name, i in columns.items()
                        if name in SHEET_COLUMNS
                    },
                )
            )
        return rows
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def import_entries_xlsx(data: bytes, *, acting_user: User) -> SheetReport:
    """Each row creates an entry, or revises the entry of that key, as a draft version by the
    importing user; rows identical to the entry's newest version are left alone. One bad row
    (unknown topic, a citation the library lacks, an entry out of reach…) refuses the whole
    file, naming every bad row, and nothing is saved."""
    _require_role(acting_user, KNOWLEDGE_EDITOR_ROLES, "导入")
    errors = _RowErrors()
    rows: list[_Row] = []
    for number, values in _sheet_rows(data):
        label = f"第{number}行"
        try:
            has_region = "region" in values
            rows.append(
                _Row(
                    label=label,
                    key=clean_key(_cell_text(values.get("key"))),
                    topic=clean_topic(_cell_text(values.get("topic"))),
                    region=clean_region(_cell_text(values.get("region")))
                    if has_region
                    else _UNCHANGED,
                    question=_cell_text(values.get("question")),
                    answer=_cell_text(values.get("answer")),
                    keywords=_cell_text(values.get("keywords")),
                    refs=parse_citation_text(_cell_text(values.get("citations"))),
                )
            )
        except DomainError as error:
            errors.add(label, error)
    if not rows and not errors.messages:
        raise InvalidInput("表格中没有条目。", field="file")
    _duplicate_keys(rows, errors)
    _resolve_rows(rows, errors)
    errors.raise_if_any("Excel 表格")
    created: list[str] = []
    revised: list[str] = []
    unchanged: list[str] = []
    with transaction.atomic():
        existing = {
            entry.key: entry
            for entry in KnowledgeEntry.objects.filter(key__in=[row.key for row in rows])
        }
        for row in rows:
            assert row.content is not None
            entry = existing.get(row.key)
            try:
                if entry is None:
                    region = None if row.region is _UNCHANGED else row.region
                    _require_region(acting_user, region)
                    _create(
                        row.key,
                        row.topic,
                        region,
                        row.content,
                        acting_user,
                        KnowledgeSource.SPREADSHEET,
                    )
                    created.append(row.key)
                    continue
                region_same = row.region is _UNCHANGED or row.region == entry.region
                if (
                    entry.topic == row.topic
                    and region_same
                    and row.content.same_as(latest_version(entry))
                ):
                    unchanged.append(row.key)
                    continue
                if row.region is not _UNCHANGED:
                    _require_region(acting_user, row.region)
                _revise(
                    entry,
                    row.content,
                    row.topic,
                    row.region,
                    acting_user,
                    KnowledgeSource.SPREADSHEET,
                )
                revised.append(row.key)
            except DomainError as error:
                errors.add(row.label, error)
        if errors.messages:
            transaction.set_rollback(True)
    errors.raise_if_any("Excel 表格")
    return SheetReport(len(rows), tuple(created), tuple(revised), tuple(unchanged))

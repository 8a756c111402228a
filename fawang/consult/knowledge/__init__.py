"""Knowledge-base use cases (标准化知识库): write, revise, review, publish and retire standard
answers; load the standard seed files; exchange entries with Excel.

Each verb locks the entry row, checks the transition against ``models.KNOWLEDGE_TRANSITIONS``,
changes it and writes one audit event, in one transaction. Editors (hotline seats, window clerks,
lawyers, legal-aid officers) write and revise; district and city supervisors review, publish and
retire, and never review what they wrote themselves.

The package, by use case: ``content`` (one version's text, checked), ``workflow`` (the verbs),
``seed`` (the YAML seed files), ``excel`` (export and import), ``_common`` (what they share).
"""

from fawang.consult.knowledge._common import KNOWLEDGE_FLOW
from fawang.consult.knowledge.content import (
    KEY_MAX_LENGTH,
    KEY_PATTERN,
    RESERVED_KEYS,
    TOPIC_BY_LABEL,
    KnowledgeContent,
    citation_refs,
    clean_key,
    clean_keywords,
    clean_region,
    clean_topic,
    parse_citation_text,
    validate_content,
)
from fawang.consult.knowledge.excel import (
    MAX_SHEET_BYTES,
    MAX_SHEET_ROWS,
    SHEET_COLUMNS,
    SHEET_HEADINGS,
    SHEET_REQUIRED,
    SheetReport,
    citations_text,
    export_entries_xlsx,
    import_entries_xlsx,
)
from fawang.consult.knowledge.seed import SEED_ACTOR, SEED_DIR, SeedReport, load_seed_entries
from fawang.consult.knowledge.workflow import (
    create_entry,
    publish_entry,
    retire_entry,
    review_entry,
    revise_entry,
)

__all__ = [
    "KEY_MAX_LENGTH",
    "KEY_PATTERN",
    "KNOWLEDGE_FLOW",
    "MAX_SHEET_BYTES",
    "MAX_SHEET_ROWS",
    "RESERVED_KEYS",
    "SEED_ACTOR",
    "SEED_DIR",
    "SHEET_COLUMNS",
    "SHEET_HEADINGS",
    "SHEET_REQUIRED",
    "TOPIC_BY_LABEL",
    "KnowledgeContent",
    "SeedReport",
    "SheetReport",
    "citation_refs",
    "citations_text",
    "clean_key",
    "clean_keywords",
    "clean_region",
    "clean_topic",
    "create_entry",
    "export_entries_xlsx",
    "import_entries_xlsx",
    "load_seed_entries",
    "parse_citation_text",
    "publish_entry",
    "retire_entry",
    "review_entry",
    "revise_entry",
    "validate_content",
]

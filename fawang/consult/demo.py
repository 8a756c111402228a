"""The consultation engine's demo: the statute library, the seed knowledge base and the index."""

from __future__ import annotations

from django.core.management import call_command


def build_demo_consult() -> dict[str, int]:
    """Import the statutes and the seed knowledge base, then build the retrieval index and the
    classifier (each step idempotent; they report what they did themselves)."""
    call_command("import_statutes")
    call_command("load_knowledge")
    call_command("build_consult_index")
    return {}

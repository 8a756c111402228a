from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from fawang.consult.models import Law, LawStatus
from fawang.consult.services import ImportReport, default_statute_db, import_statutes


@pytest.fixture(scope="session")
def statutes(django_db_setup: Any, django_db_blocker: Any) -> ImportReport:
    """The statute library, imported once per test session, for the tests that ask for it."""
    with django_db_blocker.unblock():
        return import_statutes()


@pytest.fixture(scope="session")
def source_counts() -> dict[str, int]:
    """What the packaged laws.db itself holds, read straight from the file."""
    with sqlite3.connect(f"file:{default_statute_db()}?mode=ro", uri=True) as connection:
        laws = connection.execute("SELECT COUNT(*) FROM laws").fetchone()[0]
        rows = connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        distinct = connection.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT law_id, article_no FROM articles)"
        ).fetchone()[0]
    return {"laws": laws, "article_rows": rows, "articles": distinct}


def law(short_name: str, status: str = LawStatus.IN_FORCE) -> Law:
    return Law.objects.get(short_name=short_name, status=status)

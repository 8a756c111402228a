import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _postgresql_only(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL-only behaviour")

"""Background work of the consultation engine: keep the retrieval index in step with the
knowledge base and the statute library."""

from __future__ import annotations

from django_tasks import task

from fawang.consult import dense, retrieval
from fawang.core.jobs import after_commit

JOB_EMBED_LIMIT = 2000  # articles; about two minutes on a busy core


@task()
def refresh_consult_index() -> str:
    """Re-index what changed (one law's articles, or the knowledge base). A platform that has
    never built its index builds it on first use instead, so nothing is done here then."""
    if not retrieval.has_index():
        return "no index yet"
    index = retrieval.refresh()
    # the changed articles' vectors (nothing while the package fits; a whole new edition is left
    # to `fawang build-consult-index`, which takes longer than a job's lease)
    dense.update_local(index, limit=JOB_EMBED_LIMIT)
    return retrieval.describe(index)


def schedule_index_refresh() -> None:
    """Called by the services inside their transaction: the job runs after the commit."""
    after_commit(refresh_consult_index)

"""Test settings: the real settings, with local backends for the outside world."""

import os
import tempfile

os.environ.setdefault("FAWANG_VAR_DIR", tempfile.mkdtemp(prefix="fawang-test-"))

from fawang.settings import *  # noqa: F403

SMS_BACKEND = "fawang.core.sms.MemorySmsBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Hashing speed only; the validators and lockout still run as in production.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EXCHANGE_12345_BACKEND = "fawang.workorders.exchange.MemoryExchange"
LEGALAID_ORGAN_BACKEND = "fawang.legalaid.organs.MemoryOrganChannel"
# Training the real classifier takes ~20 s; the tests that exercise it set it themselves.
WORKORDER_CLASSIFIER = ""
# Per test process (xdist workers share FAWANG_VAR_DIR); emptied before each test (conftest).
AUDIT_ANCHOR_FILE = os.path.join(tempfile.mkdtemp(prefix="fawang-anchors-"), "audit-anchors.log")
# A test's rows are uncommitted, so no replica could see them: every test reads the primary,
# except tests/pg/test_replica.py, which commits and turns replica reads on.
REPLICA_READS = False

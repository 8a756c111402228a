"""What an installed (not editable) fawang carries besides its code."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_data_file_of_the_package_is_declared_as_package_data() -> None:
    # A data file left out of the wheel works from a checkout and is missing once installed
    # (the dictionary's synonyms.tsv and the topic questions' train.jsonl once were).
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["package-data"]["*"]
    data_files = [
        path
        for path in (ROOT / "fawang").rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    ]
    assert len(data_files) > 200
    left_out = [
        str(path.relative_to(ROOT))
        for path in data_files
        if not any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns)
    ]
    assert not left_out

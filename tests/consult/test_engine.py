from __future__ import annotations

import io
import json
import shutil
from typing import Any

import pytest
from django.core.management import call_command

from fawang.consult import classifier, dense, retrieval
from fawang.consult import engine as search_engine
from fawang.consult.models import Article, Law
from fawang.consult.text import expansions, tokenize
from fawang.consult.topics import topic_names
from fawang.core.taxonomy import Topic

pytestmark = pytest.mark.django_db

CLASSES = {*Topic.values, "not_legal"}


@pytest.fixture
def engine(statutes: Any) -> retrieval.Index:
    return retrieval.get_index()


def assert_distribution(scores: dict[str, float], tolerance: float = 1e-6) -> None:
    assert set(scores) == CLASSES
    assert all(0.0 <= p <= 1.0 for p in scores.values())
    assert sum(scores.values()) == pytest.approx(1.0, abs=tolerance)


def test_colloquial_words_expand_to_legal_terms() -> None:
    assert "借款" in expansions("同事借我钱不还")
    assert "配偶" in expansions("我老公要离婚")
    assert "劳动报酬" in expansions("老板拖欠工资")
    assert "的" not in tokenize("我的工资")


@pytest.mark.parametrize(
    "question",
    ["", "   ", "法" * 100_000, "My landlord keeps my deposit, what can I do?", "😀🙏💰🏠", None],
    ids=["empty", "blank", "100kB", "english", "emoji", "none"],
)
def test_classifier_returns_a_distribution_for_any_input(engine: Any, question: Any) -> None:
    assert_distribution(classifier.classify(question))


def test_clear_question_gets_its_topic(engine: Any) -> None:
    scores = classifier.classify("老公出轨了我要离婚，孩子的抚养权归谁")
    assert max(scores, key=lambda topic: scores[topic]) == Topic.MARRIAGE_FAMILY


def test_suggest_topics_matches_the_intake_hook(engine: Any) -> None:
    scores = search_engine.suggest_topics("老公出轨了我要离婚")
    assert set(scores) == set(Topic.values)
    assert sum(scores.values()) <= 1.0 + 1e-6
    assert max(scores, key=lambda topic: scores[topic]) == Topic.MARRIAGE_FAMILY


def test_the_answers_law_moves_the_topic_toward_its_own(engine: Any) -> None:
    """民法典 788 (contract for construction work) is under 建设工程; a classifier that said
    劳动 for a 包工头 question is moved 0.4 of the way toward it, the not-legal share untouched."""
    index = retrieval.get_index()
    row = index.row_of("民法典", 788)
    assert row is not None
    said = {name: 0.0 for name in topic_names()}
    said.update({"labour": 0.5, "construction": 0.2, "contract": 0.2, "not_legal": 0.1})
    mixed = search_engine.topics_with_answer(index, said, row)
    assert mixed["construction"] == pytest.approx(0.6 * 0.2 + 0.4 * 0.9)
    assert mixed["labour"] == pytest.approx(0.6 * 0.5)
    assert mixed["not_legal"] == pytest.approx(0.1)
    assert sum(mixed.values()) == pytest.approx(1.0)
    assert max(mixed, key=lambda topic: mixed[topic]) == "construction"


def test_an_article_of_a_law_behind_no_topic_leaves_the_topics_as_they_were(engine: Any) -> None:
    index = retrieval.get_index()
    row = next(r for r in range(len(index.pks)) if not index.row_topics[r].nnz)
    said = classifier.classify("老公出轨了我要离婚")
    assert search_engine.topics_with_answer(index, said, row) == said


def test_the_search_box_keeps_the_classifiers_topics(engine: Any) -> None:
    question = "包工头拖欠我们的工钱"
    looked_up = search_engine.search(question, weights=retrieval.LOOKUP)
    assert looked_up.topic_scores == classifier.classify(question, semantic=False)
    asked = search_engine.search(question)
    assert asked.topic_scores != classifier.classify(question)


def test_search_finds_loan_contract_articles_with_highlights(engine: Any) -> None:
    result = search_engine.search("同事借我钱不还怎么办", k=10)
    assert len(result.articles) >= 10
    loan = [
        hit
        for hit in result.articles
        if hit.law == "中华人民共和国民法典" and 667 <= hit.number <= 680
    ]
    assert loan, [(hit.law, hit.number) for hit in result.articles]
    assert all("<mark>" in hit.snippet for hit in loan)
    assert_distribution(result.topic_scores)


def test_search_puts_a_cited_article_first(engine: Any) -> None:
    result = search_engine.search("《民法典》第一千零七十九条怎么理解")
    assert (result.articles[0].law, result.articles[0].number) == ("中华人民共和国民法典", 1079)


def test_search_never_fails_on_empty_or_foreign_questions(engine: Any) -> None:
    for question in ("", "hello world", "😀" * 50):
        assert len(search_engine.search(question, k=10).articles) == 10


def test_snippet_escapes_html_and_marks_terms() -> None:
    assert (
        search_engine.snippet("<b>借款</b>合同", ["借款"])
        == "&lt;b&gt;<mark>借款</mark>&lt;/b&gt;合同"
    )


def test_snippet_never_marks_inside_an_escaped_character() -> None:
    # a question's words "lt" / "amp" must not break the page's escaping of < and &
    assert (
        search_engine.snippet("甲<乙&丙借款", ["lt", "amp", "借款"])
        == "甲&lt;乙&amp;丙<mark>借款</mark>"
    )


def test_snippet_window_follows_the_terms_in_a_long_article() -> None:
    body = "一" * 300 + "借款合同的内容" + "二" * 300
    shown = search_engine.snippet(body, ["借款", "合同"], length=40)
    assert shown.startswith("…") and shown.endswith("…")
    assert "<mark>借款</mark><mark>合同</mark>" in shown


def test_batch_interface_writes_one_answer_per_question(engine: Any) -> None:
    stdin = io.StringIO(
        json.dumps({"id": "q1", "question": "同事借我钱不还怎么办"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": 2, "question": "公司拖欠工资怎么办"}, ensure_ascii=False)
        + "\nnot json\n"
    )
    out = io.StringIO()
    call_command("consult", "ask", "--jsonl", stdin=stdin, stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["id"] for line in lines] == ["q1", 2, None]
    first = lines[0]
    assert first["topic"] in CLASSES
    assert_distribution(first["topic_scores"], tolerance=1e-3)  # rounded to 4 places
    assert len(first["articles"]) >= 10
    article = first["articles"][0]
    assert set(article) == {"law", "article", "score"}
    assert article["law"].startswith("中华人民共和国") and isinstance(article["article"], int)
    scores = [a["score"] for a in first["articles"]]
    assert scores == sorted(scores, reverse=True)
    assert "error" in lines[2]


def test_batch_answers_are_the_answers_one_question_at_a_time(engine: Any) -> None:
    # the bulk interface embeds a batch of questions together; the ranking must not change
    questions = ["我老公喝了酒就动手打我", "邻居装修把我家墙震裂了，找谁赔？", "公司拖欠工资三个月"]
    stdin = io.StringIO(
        "".join(
            json.dumps({"id": i, "question": q}, ensure_ascii=False) + "\n"
            for i, q in enumerate(questions)
        )
    )
    out = io.StringIO()
    call_command("consult", "ask", "--jsonl", stdin=stdin, stdout=out)
    batch = [json.loads(line)["articles"] for line in out.getvalue().splitlines()]
    for question, answered in zip(questions, batch, strict=True):
        alone = search_engine.search(question, k=10, snippets=False).articles
        assert [(a["law"], a["article"]) for a in answered] == [(h.law, h.number) for h in alone]


def test_the_batch_interface_answers_a_line_before_the_next_is_sent() -> None:
    # a caller may write one question and wait for its answer: grouping lines must never wait
    # for more input than has arrived
    import os
    import threading

    from fawang.consult.management.commands.consult import arrived

    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "rb", buffering=0) as reader, os.fdopen(write_end, "wb", 0) as writer:
        groups = arrived(reader)
        got: list[list[str]] = []

        def take() -> None:
            got.append(next(groups))

        writer.write(b'{"id": 1}\n')
        taker = threading.Thread(target=take)
        taker.start()
        taker.join(timeout=10)
        assert got == [['{"id": 1}']]  # the pipe is still open
        writer.write('{"id": 2, "question": "工资"}\n\n{"id": 3}\n'.encode())
        taker = threading.Thread(target=take)
        taker.start()
        taker.join(timeout=10)
        assert got[1] == ['{"id": 2, "question": "工资"}', '{"id": 3}']
        writer.close()
        assert list(groups) == []


def test_index_rebuilds_changed_law_and_finds_the_new_text(engine: Any) -> None:
    article = Article.objects.select_related("law").get(
        law__short_name="民法典", law__status="in_force", number=1079
    )
    original = article.text
    marker = "饕餮鼋鼍魑魅魍魉"
    assert not any(hit.pk == article.pk for hit in search_engine.search(marker).articles[:1])
    try:
        article.text = original + marker
        article.save(update_fields=["text"])
        # not saved: the other test process shares the directory and would load this edition
        index = retrieval.refresh(save=False)
        assert index.rebuilt_laws == 1
        assert search_engine.search(marker).articles[0].pk == article.pk
    finally:
        article.text = original
        article.save(update_fields=["text"])
        assert retrieval.refresh(save=False).rebuilt_laws == 1
        retrieval.reset()  # back to the saved index


def test_saved_index_is_reused_when_nothing_changed(engine: Any) -> None:
    retrieval.reset()
    assert retrieval.get_index() is retrieval._index  # served as loaded, nothing rebuilt
    assert retrieval.refresh().rebuilt_laws == 0


def test_a_served_index_holds_no_tokens_and_a_rebuild_reads_them_from_their_file(
    engine: Any,
) -> None:
    retrieval.reset()
    served = retrieval.get_index()
    assert not served.has_tokens
    assert not any(row[4] for law in served.laws.values() for row in law.rows)
    assert search_engine.search("同事借我钱不还怎么办").articles
    try:
        rebuilt = retrieval.refresh(save=False)
        assert rebuilt.has_tokens and rebuilt.rebuilt_laws == 0
        assert all(row[4] for law in rebuilt.laws.values() for row in law.rows)
    finally:
        retrieval.reset()  # back to the saved index


def test_without_its_tokens_file_a_rebuild_cuts_every_law_again(
    engine: Any, settings: Any, tmp_path: Any
) -> None:
    laws = len(retrieval.get_index().laws)
    (tmp_path / "consult").mkdir()
    shutil.copy(retrieval.index_path(), tmp_path / "consult" / retrieval.index_path().name)
    settings.VAR_DIR = tmp_path
    retrieval.reset()
    try:
        rebuilt = retrieval.refresh()
        assert rebuilt.rebuilt_laws == laws
        assert retrieval.tokens_path().is_file()  # saved again, with its tokens
        retrieval.reset()
        assert retrieval.refresh().rebuilt_laws == 0
    finally:
        retrieval.reset()


def test_server_warm_up_adopts_the_saved_engine_without_building(
    engine: Any, monkeypatch: Any, caplog: Any, settings: Any, tmp_path: Any
) -> None:
    from fawang.consult import artifacts
    from fawang.consult.warmup import warm_up

    # its own directory: the other worker's tests save edited statutes into the shared one
    index, before = retrieval.get_index(), classifier._model
    settings.VAR_DIR = tmp_path
    settings.CONSULT_MODEL_DIR = ""
    artifacts.save(index, retrieval.index_path())
    classifier.reset()
    classifier.refresh()  # what build-consult-index leaves: the packaged model, or one saved
    classifier.reset()
    retrieval.reset()

    def no_building(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("warm-up must not train or build")

    monkeypatch.setattr(classifier, "build", no_building)
    monkeypatch.setattr(retrieval, "build_index", no_building)
    with caplog.at_level("INFO", logger="fawang.consult.warmup"):
        warm_up()
    assert classifier._model is not None and retrieval._index is not None  # loaded, not lazily
    # the encoder too, when the vectors fit (another test may have left edited statutes saved)
    fits = dense.space_for(retrieval.get_index()) is not None
    assert f"'dense': {fits}" in caplog.text
    assert retrieval.get_index() is retrieval._index  # served as loaded, nothing rebuilt
    classifier._model = before


def _build_once(path: str, log: str) -> None:
    """What a second process does: wait for the lock, build only if nothing is there yet."""
    from pathlib import Path

    from fawang.consult import artifacts

    with artifacts.exclusive(Path(path)):
        if not Path(path).exists():
            with open(log, "a") as out:
                out.write("built\n")
            Path(path).write_text("index")


def test_processes_starting_together_build_an_artifact_once(tmp_path: Any) -> None:
    import multiprocessing
    import time

    from fawang.consult import artifacts

    target, log = tmp_path / "retrieval.pickle", tmp_path / "log"
    with artifacts.exclusive(target):
        other = multiprocessing.get_context("fork").Process(
            target=_build_once, args=(str(target), str(log))
        )
        other.start()
        time.sleep(0.3)  # the other process is now waiting for the lock
        assert not log.exists()
        target.write_text("index")  # this one builds
        log.write_text("built\n")
    other.join(timeout=10)
    assert other.exitcode == 0
    assert log.read_text() == "built\n"  # the other read it instead of building it again


def test_the_law_search_box_ranks_like_the_engine(engine: retrieval.Index) -> None:
    from fawang.consult.selectors import search_articles

    joined, spaced = search_articles("拖欠工资"), search_articles("拖欠 工资")
    assert joined and {a.pk for a in joined[:5]} & {a.pk for a in spaced[:5]}
    assert all("工资" in a.text or "报酬" in a.text or "拖欠" in a.text for a in joined[:5])
    assert search_articles("工资")[0].law.short_name != "个人所得税法"


def test_amounts_and_placeholders_name_no_law() -> None:
    from fawang.consult.text import question_terms, tokenize

    terms = question_terms(tokenize("甲在超市盗窃价值五千元的财物，张某报警"))
    assert "盗窃" in terms and "财物" in terms
    assert not {"甲", "五千元", "五千", "千元", "张某", "张", "某"} & set(terms)
    # the tokenizer cuts a name it does not know into its surname and 某: both go
    terms = question_terms(tokenize("孙某持刀抢走李某某的手机，某公司的保安追了出去"))
    assert {"持刀", "手机", "公司", "保安"} <= set(terms)
    assert not {"孙", "李", "某", "某某"} & set(terms)


def test_a_scenario_goes_to_the_law_it_implies_not_to_a_fine_of_the_same_amount(
    engine: Any,
) -> None:
    # Before: the amount found 护照法第十七条 (二千元以上五千元以下罚款) first.
    articles = search_engine.search("甲在超市盗窃价值五千元的财物，构成什么罪？").articles
    assert articles[0].law == "中华人民共和国刑法"
    assert 264 in [hit.number for hit in articles[:5] if hit.law == "中华人民共和国刑法"]


def test_a_question_quoting_a_statute_finds_that_article_first_whatever_its_topic(
    engine: Any,
) -> None:
    # 证券法 is behind none of the 20 hotline topics: the topic prior must not bury it.
    question = "证券公司不得将客户的交易结算资金和证券归入其自有财产，这是什么规定？"
    first = search_engine.search(question).articles[0]
    assert (first.law, first.number) == ("中华人民共和国证券法", 131)


def test_every_legal_term_of_the_dictionary_is_a_word_the_library_uses(engine: Any) -> None:
    # An expansion term no article or standard answer holds can never find anything: it is a
    # mistake in data/synonyms.tsv (a colloquial word on the legal side, a misremembered term).
    from fawang.consult.text import synonyms

    statutes = "\n".join(engine.texts)
    answers = "\n".join(doc.question + doc.answer for doc in engine.knowledge)
    unused = {
        (phrase, term)
        for phrase, terms in synonyms().items()
        for term in terms
        if term not in statutes and term not in answers
    }
    assert not unused


def test_every_law_a_cue_implies_is_in_the_library(engine: retrieval.Index) -> None:
    # A cue naming a law the library lacks (工伤保险条例 is a regulation, not in it) lifts nothing.
    shorts = {law.short_name for law in engine.laws.values()}
    missing = {law for _pattern, laws in retrieval.law_cues() for law in laws if law not in shorts}
    assert not missing
    assert engine.laws_implied_by("跟团旅游，导游带我们去购物点") == {
        law_id for law_id, law in engine.laws.items() if law.short_name == "旅游法"
    }


def test_standard_answers_of_an_unlikely_topic_are_not_shown(engine: Any) -> None:
    # Seen on /ask/: a conscription question shared 儿子 and 登记 with entries on a right of
    # residence for the parents, on support of the elderly and on company capital, and showed them.
    conscription = search_engine.search("儿子刚满十八岁，男孩是不是都要去兵役登记", k=10)
    evidence = search_engine.gather("儿子刚满十八岁，男孩是不是都要去兵役登记")
    assert int((evidence.entry_scores > 0).sum()) >= 3  # they do share words …
    assert conscription.entries == []  # … and none is shown
    wages = search_engine.search("老板三个月没给钱，我该怎么办", k=10)
    assert wages.entries
    topics = {doc.key: doc.topic for doc in engine.knowledge}
    assert {topics[hit.key] for hit in wages.entries} == {"labour"}


def test_without_a_likely_topic_the_likeliest_topics_entries_stay() -> None:
    floor = retrieval.ENTRY_TOPIC_FLOOR
    assert search_engine.entry_topic_floor({"labour": 0.36, "contract": 0.3}) == floor
    uniform = {name: 1 / 21 for name in CLASSES}
    assert search_engine.entry_topic_floor(uniform) == pytest.approx(1 / 21)
    assert search_engine.entry_topic_floor({}) == 0.0


def test_next_to_a_clearly_likely_topic_a_distant_seconds_entries_are_not_shown() -> None:
    # what a model trained on the demo database gave the conscription question above
    topics = {"general": 0.753, "marriage_family": 0.115, "criminal_defence": 0.052}
    floor = search_engine.entry_topic_floor(topics)
    assert topics["marriage_family"] < floor <= topics["general"]
    # two likely topics both keep their entries
    assert search_engine.entry_topic_floor({"labour": 0.5, "contract": 0.4}) < 0.4


def test_the_standard_answer_closest_in_meaning_is_shown_first(engine: Any) -> None:
    # 三个月 is in the entries on probation and on non-compete pay, and the lexical match put
    # them first; the question is about unpaid wages.
    evidence = search_engine.gather("老板三个月没给钱，我该怎么办")
    lexical_first = int(evidence.entry_scores.argmax())
    shown = search_engine.search("老板三个月没给钱，我该怎么办", k=10).entries
    assert engine.knowledge[lexical_first].key != "labour-001"
    assert shown[0].key == "labour-001"  # 公司拖欠工资两个月了，我该怎么办？


def test_a_question_quoting_an_article_scores_the_longest_stretch_it_shares() -> None:
    text = "当事人对自己提出的主张，有责任提供证据。"
    core = "我对自己提出的主张有没有责任举证"
    pieces = {
        size: {core[i : i + size] for i in range(len(core) - size + 1)}
        for size in range(search_engine.PHRASE_SHORTEST, search_engine.PHRASE_LONGEST + 1)
    }
    longest = search_engine.PHRASE_LONGEST
    assert search_engine._longest_shared(text, pieces, longest) == len("对自己提出的主张")
    assert search_engine._longest_shared("合同无效", pieces, longest) == 0  # nothing of 4 or more
    assert search_engine._longest_shared(core, pieces, longest) == longest  # capped


@pytest.mark.django_db
def test_asking_on_a_database_without_statutes_imports_them_first(statutes: Any) -> None:
    from fawang.consult.management.commands.consult import Command

    Law.objects.all().delete()
    report = io.StringIO()
    Command(stderr=report).ensure_statutes()
    assert Law.objects.filter(short_name="民法典").exists()
    assert Article.objects.count() >= 26_000
    assert "导入法规" in report.getvalue()
    again = io.StringIO()
    Command(stderr=again).ensure_statutes()
    assert again.getvalue() == ""  # the library is there: nothing is done twice


def test_a_saved_artifact_reads_back_whole_and_replaces_the_old_format(tmp_path: Any) -> None:
    from fawang.consult import artifacts

    path = tmp_path / f"retrieval{artifacts.SUFFIX}"
    (tmp_path / "retrieval.joblib").write_bytes(b"written by an older version")
    artifacts.save({"articles": [1, 2, 3]}, path)
    assert artifacts.load(path) == {"articles": [1, 2, 3]}
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary, no old file


@pytest.mark.parametrize(
    ("question", "ask"),
    [
        # what follows the last 问： is what is asked
        (
            "原告汤某开庭时发现，审判员是被告的亲侄子。问：汤某能否要求该审判员退出审理？",
            "汤某能否要求该审判员退出审理？",
        ),
        # an ask that says nothing by itself takes the clause before it
        (
            "餐馆先被城管罚款三千元。随后环保部门又以同一事实对其罚款五千元。问：这种做法是否合法？",
            "随后环保部门又以同一事实对其罚款五千元。这种做法是否合法？",
        ),
        # without 问： the last sentence asks
        (
            "甲借给乙十万元。乙到期不还，甲能否起诉乙要求支付利息？",
            "乙到期不还，甲能否起诉乙要求支付利息？",
        ),
        # one sentence is all ask: nothing apart
        ("我老婆怀孕五个月，我想跟她离婚，法院会受理吗", ""),
        ("我在工地摔断了腿。老板不赔。怎么办？", ""),
    ],
)
def test_the_part_of_a_question_that_asks_is_found(engine: Any, question: str, ask: str) -> None:
    from fawang.consult.text import ask_part

    assert ask_part(question) == ask


def test_the_part_that_asks_is_searched_apart_from_the_facts(engine: Any) -> None:
    question = (
        "餐馆先被城管罚款三千元。随后环保部门又以同一事实对其罚款五千元。问：这种做法是否合法？"
    )
    whole, ask_only = (
        search_engine.gather(question),
        search_engine.gather("随后环保部门又以同一事实对其罚款五千元。这种做法是否合法？"),
    )
    assert (whole.ask_lexical == ask_only.lexical).all()
    assert not (whole.ask_lexical == whole.lexical).all()
    one_sentence = search_engine.gather("我老婆怀孕五个月，我想跟她离婚，法院会受理吗")
    assert one_sentence.ask_lexical is one_sentence.lexical


def test_a_struck_out_article_is_never_an_answer_unless_cited(engine: Any) -> None:
    # 刑法第一百九十九条 reads only "（删去）" since 刑法修正案（九）
    def rows(question: str) -> list[tuple[str, int]]:
        return [(hit.law, hit.number) for hit in search_engine.search(question, k=30).articles]

    struck = ("中华人民共和国刑法", 199)
    assert struck not in rows("删去")
    assert struck not in rows("集资诈骗罪数额特别巨大的会不会判死刑")
    assert rows("《刑法》第一百九十九条还有效吗")[0] == struck

"""The answer plan: intent, target units and facts from the annotations; what the answer does
with it."""

from __future__ import annotations

import pytest

from assistant.history import is_follow_up
from assistant.intent import intent_of
from assistant.query import analyze
from assistant.validate import unsupported_sentences
from ingest.citations import CitationId


def _intent(question: str) -> tuple[str, str | None]:
    """(intent, fact type) of a standalone question, against the real corpus's shape."""
    a = analyze(question, articles=27, explanation={"II.4"}, versions=["2011", "2024"])
    return intent_of(question, a)


@pytest.mark.parametrize(
    ("question", "intent", "fact"),
    [
        ("How long must record backups be kept?", "fact", "duration"),
        ("记录备份要保存多久？", "fact", "duration"),
        ("What is the fine for not showing the licence number?", "sanction", "amount"),
        # the duty asked for is an obligation, though asked as "what is"
        ("What is a provider's duty on discovering prohibited content?", "obligation", None),
        ("What happens if we don't keep the logs?", "sanction", None),
        ("经营性互联网信息服务实行什么制度？", "regime", "regime"),
        ("How much does an ICP licence cost?", "fact", "cost"),
        ("When did the Rules take effect?", "fact", "date"),
        ("Can a free site charge its users?", "permission", None),
        # charging a fee is an act asked about, not a price asked for
        ("We only filed. Can we start charging a small fee for downloads?", "general", None),
        ("Can we charge a fee, and how much is the filing fee?", "fact", "cost"),
        ("备案要多少钱？", "fact", "cost"),
        ("注册的时候认缴资本填多少才够格拿经营性许可？", "fact", "cost"),
        ("What overall approach guided the 2012 draft revision?", "general", None),
        ("Would gambling content breach the content rules?", "general", None),
        ("ICP licence or just bei'an?", "regime", "regime"),
        ("要办ICP证还是备案？", "regime", "regime"),
        ("我们做收费网站要办什么证？", "regime", "regime"),
        ("Is there a public list of sites that hold an ICP licence or filing?", "general", None),
        (
            "Which hosting company is better for an ICP filing, in your opinion?",
            "out_of_scope",
            "practice",
        ),
        ("How do I move our domain to another registrar?", "out_of_scope", "practice"),
        (
            "Our server was hacked and the logs are gone. How much trouble are we in?",
            "sanction",
            None,
        ),
        (
            "How did the 2012 draft change the log retention period the Rules set today?",
            "comparison",
            None,
        ),
        # a fee-charging site is described, no price is asked
        (
            "Which office takes the application for a fee-charging information site?",
            "general",
            None,
        ),
        ("听说经营许可证审批要等半年？", "fact", "duration"),
        ("审批时限呢？", "fact", "duration"),
        # the draft's length is its size, not a period
        ("How long was the 2012 draft? Chapters and articles?", "fact", "count"),
        # "fine" the adjective
        ("Is tucking the ICP number into the footer fine?", "general", None),
        ("Is the fine for that still RMB 5,000?", "sanction", "amount"),
        ("我们公司官网要不要弄那个证啊？", "regime", "regime"),
        # the Rules named only as what the draft revised: not a comparison
        ("What reasons did the 2012 Explanation give for revising the rules?", "general", None),
        ("How does the 2012 draft differ from the Rules in force?", "comparison", None),
        ("What are the Rules meant to achieve?", "purpose", None),
        ("这个办法的立法目的是什么？", "purpose", None),
    ],
)
def test_intent(question: str, intent: str, fact: str | None) -> None:
    assert _intent(question) == (intent, fact)


def test_a_period_is_stated_from_the_annotated_fact(tiny_assistant) -> None:
    answer = tiny_assistant.ask("How long must record backups be kept?")
    assert answer.plan is not None and answer.plan["intent"] == "fact"
    (fact,) = answer.plan["facts"]
    assert fact["value"] == "60 days" and fact["provision"] == "art-4.p1"
    assert answer.answer.startswith("Internet access service providers must keep record backups")
    assert "60 days" in answer.answer.splitlines()[0] and answer.cited_ids == ["rules@2024#art-4"]


def test_a_sanction_answer_names_the_measures_of_the_provision_that_punishes(
    tiny_assistant,
) -> None:
    answer = tiny_assistant.ask("What is the fine if we do not display the licence number?")
    assert answer.cited_ids == ["rules@2024#art-6"]
    assert answer.answer.startswith("The sanction:") and "RMB 5,000" in answer.answer.split("\n")[0]
    assert [m["type"] for m in answer.plan["measures"]][:1] == ["order_to_correct"]


def test_a_figure_the_texts_never_set_is_refused_with_see_also(tiny_assistant) -> None:
    answer = tiny_assistant.ask("How much does it cost to apply for an operating licence?")
    assert answer.abstained and not answer.citations
    assert "fee" in (answer.reason or "") and answer.see_also


def test_a_practical_matter_the_texts_do_not_settle_is_refused_with_see_also(
    tiny_assistant,
) -> None:
    answer = tiny_assistant.ask("Which cloud is better for hosting a filed site, your opinion?")
    assert answer.abstained and not answer.citations and answer.see_also
    assert "do not settle this matter" in (answer.reason or "")
    assert answer.plan is not None and answer.plan["intent"] == "out_of_scope"


def test_quotes_and_list_items_are_not_unsupported() -> None:
    text = (
        "Article 15 (2024 wording): “Providers shall not: (1) oppose the Constitution; "
        "(2) endanger security. (3) other content.” [1]\n\n"
        "Explanation of the 2012 draft, II.4: “Records are kept. For six months.” [2]\n\n"
        "This claim has no source at all."
    )
    assert unsupported_sentences(text, "ABSTAIN") == ["This claim has no source at all."]


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("如果我们不照做呢，会被怎么处理？", True),
        ("那非经营性网站呢？", True),
        ("还有别的要求吗？", True),
        ("And if we refuse?", True),
        ("ok and how long does the telecoms bureau get to decide once we apply?", True),
        ("thanks, what about the sites that were running before the Rules came out?", True),
        ("没保存的话会怎么处罚？", True),
        ("那要是我们没管也没报告呢？", True),
        ("what happens if the comms administration finds out?", True),
        # no topic of its own, or the case just told
        ("会被怎么处罚？罚多少", True),
        ("这种情况管局会咋处理，要交钱吗", True),
        ("Okay, how long does the telecoms bureau get to decide on a licence application?", False),
        ("经营性互联网信息服务实行什么制度？", False),
        ("How long must internet access providers keep record backups under the Rules?", False),
    ],
)
def test_follow_ups_in_both_languages(question: str, follow_up: bool) -> None:
    assert is_follow_up(question) == follow_up


def test_a_bare_yes_needs_a_provision_that_decides_it(tiny_assistant) -> None:
    decided = tiny_assistant.ask("Do access providers have to keep record backups?")
    assert decided.answer.startswith("Yes.")  # art-4.p1 is annotated as a duty
    undecided = tiny_assistant.ask("Do news services need the consent of the authorities first?")
    assert not undecided.abstained and not undecided.answer.startswith("Yes.")  # art-3: none


def test_a_licence_period_does_not_answer_a_filing_question() -> None:
    from assistant.plan import regime_mismatch, regimes

    asked = regimes("How many days does the authority have to process an ICP filing?")
    assert asked == {"filing"}
    assert regime_mismatch(
        asked, "complete its examination within 60 days; an operating licence shall be issued"
    )
    assert not regime_mismatch(
        asked, "with the original licence-issuing or filing authority 30 days in advance"
    )
    assert not regime_mismatch({"licence", "filing"}, "an operating licence shall be issued")


def test_see_also_only_for_questions_the_texts_leave_open(tiny_assistant) -> None:
    from assistant.surfaces.render import answer_html

    open_question = tiny_assistant.ask("How much does it cost to apply for an operating licence?")
    assert open_question.see_also and "See also" in answer_html(open_question)
    off_topic = tiny_assistant.ask("What is the capital of France?")
    assert off_topic.abstained and not off_topic.see_also


class _NoRewrite:
    """A generator that leaves follow-ups to the rule-based rewrite (only ``rewrite`` is used)."""

    def rewrite(self, question: str, history: list[tuple[str, str]]) -> None:
        return None


@pytest.mark.parametrize(
    ("before", "turn", "versions", "draft", "intent", "fact"),
    [
        # the turn names its scope: it wins over the turn before
        ("What did Article 5 require under the 2011 wording?", "And what does it say now?",
         ["2024"], False, "general", None),
        ("Which services need prior approval under Article 5 today?",
         "How was that list worded in 2011?", ["2011"], False, "general", None),
        # the turn only moves the question: what was asked comes along into the new scope
        ("How long must record backups be kept?", "What did the 2012 draft propose instead?",
         ["2024"], True, "fact", "duration"),
        ("记录备份要保存多久？", "那征求意见稿呢？", ["2024"], True, "fact", "duration"),
        # the turn asks something of its own (where): it is not the turn before's question
        ("What's the fine if our homepage doesn't show the ICP number?",
         "ok and where exactly are we supposed to show it?", ["2024"], False, "obligation", None),
        ("Do we need a licence to run a paid news site?", "and if we just go live without one?",
         ["2024"], False, "sanction", None),
        # "how about" moves the question; it does not ask how
        ("How long must record backups be kept?", "How about in the draft?",
         ["2024"], True, "fact", "duration"),
        ("第五条怎么规定？", "修改前呢？", ["2011"], False, "general", None),
        # the turn says nothing of scope: the scope of the turn before stays
        ("What did Article 5 say in 2011?", "and which sectors did it name?",
         ["2011"], False, "general", None),
    ],
)  # fmt: skip
def test_follow_ups_take_scope_and_ask_from_the_turn_before(
    rules_index, before: str, turn: str, versions: list[str], draft: bool, intent: str,
    fact: str | None,
) -> None:  # fmt: skip
    from assistant.analysis import Analyser, understand

    history = [("user", before), ("assistant", "…")]
    a = understand(turn, history, Analyser(rules_index), _NoRewrite()).analysis  # type: ignore[arg-type]
    assert (a.versions, a.wants_draft, a.intent, a.fact) == (versions, draft, intent, fact)


def _docs(index, ids: list[str], lang: str):
    from langchain_core.documents import Document

    out = []
    for cid in ids:
        chunk = index.unit(cid, lang)
        meta = {"id": cid, "doc": chunk.doc, "lang": chunk.lang, "version": chunk.version}
        out.append(Document(page_content=chunk.text, metadata=meta))
    return out


def test_a_duty_left_undone_is_answered_by_what_punishes_that_duty(rules_index) -> None:
    """Art. 15 (prohibited content) ranks above Art. 16 (the duty to stop, record and report):
    asked what follows not doing it, the plan takes Art. 23 (punishes Art. 16), not Art. 20."""
    from assistant.analysis import Analyser
    from assistant.plan import make_plan

    ids = ["rules@2024#art-15", "rules@2024#art-16", "rules@2024#art-20", "rules@2024#art-23"]
    question = "用户在论坛发了违法信息，我们该怎么办？ 如果不做会怎样？"
    a = Analyser(rules_index).analyze(question)
    plan = make_plan(question, a, _docs(rules_index, ids, "zh"), rules_index)
    # it also asks what must be done: the duty itself (Art. 16), then what punishes it
    assert plan.intent == "sanction" and plan.targets == (2, 4)


def test_a_draft_question_takes_its_figure_from_the_explanation(rules_index) -> None:
    """Asked in Chinese what the draft set, the figure comes from the Explanation (English
    only) even when the Rules' article ranks first."""
    from assistant.analysis import Analyser
    from assistant.plan import make_plan

    ids = ["rules@2024#art-14", "explanation#II.4"]
    question = "征求意见稿里记录备份要保存多久？"
    a = Analyser(rules_index).analyze(question)
    plan = make_plan(question, a, _docs(rules_index, ids, "zh"), rules_index)
    assert plan.scope == "draft" and plan.targets == (2,)
    # a proposal binds no one: no actor, so no "… must …" lead
    assert plan.facts[0].value == "6 months" and plan.facts[0].actor is None


@pytest.mark.parametrize(
    ("question", "targets", "fact"),
    [
        # Art. 26's 60 days are for operators before 2000: not the period of record backups
        ("How long must record backups be kept?", (2,), "duration"),
        # neither period in view is one for a filing to come through
        ("How many working days does a beian filing take?", (), "unstated-period"),
    ],
)
def test_a_period_set_for_another_matter_does_not_answer(
    rules_index, question: str, targets: tuple[int, ...], fact: str
) -> None:
    from assistant.analysis import Analyser
    from assistant.plan import make_plan

    docs = _docs(rules_index, ["rules@2024#art-26", "rules@2024#art-14"], "en")
    plan = make_plan(question, Analyser(rules_index).analyze(question), docs, rules_index)
    assert (plan.targets, plan.fact) == (targets, fact)


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("Is a free blog licensed?", "non-commercial providers"),
        ("Do non-commercial sites file?", "non-commercial providers"),
        ("Do commercial sites need a licence?", "commercial providers"),
        ("非经营性网站实行什么制度？", "non-commercial providers"),
        ("经营性网站实行什么制度？", "commercial providers"),
        ("How long must ISPs keep logs?", "access providers"),
        ("不收费的网站需要许可证吗？", "non-commercial providers"),
        ("a non commercial site", "non-commercial providers"),
        ("收费网站", "commercial providers"),
        ("What is the purpose of the Rules?", None),
        ("we start charging for premium answers", "commercial providers"),
        ("菜谱网站，不收用户一分钱", "non-commercial providers"),
    ],
)
def test_subjects(text: str, subject: str | None) -> None:
    from assistant.subjects import subject_of

    assert subject_of(text) == subject


def test_a_follow_up_naming_another_subject_replaces_the_old_one() -> None:
    from assistant.history import standalone

    history = [("user", "我们做收费网站要办什么手续？"), ("assistant", "…")]
    assert standalone("那如果是非经营性的呢？", history, False) == (
        "我们做网站要办什么手续？ 那如果是非经营性的呢？"
    )
    history = [("user", "Do we need a licence to run a paid site?"), ("assistant", "…")]
    searched = standalone("what about a free blog?", history, False)
    # the free blog answers to the filing, not the licence the paid site asked about
    assert searched == "Do we need a filing to run a site? what about a free blog?"


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("What regime applies to a free blog?", "filing"),
        ("What regime applies to commercial services?", "licensing"),
    ],
)
def test_the_regime_stated_is_the_one_for_the_subject_asked(
    rules_index, question: str, value: str
) -> None:
    from assistant.analysis import Analyser
    from assistant.plan import make_plan

    docs = _docs(rules_index, ["rules@2024#art-4"], "en")
    plan = make_plan(question, Analyser(rules_index).analyze(question), docs, rules_index)
    assert plan.intent == "regime" and plan.facts[0].value == value


def test_leads_say_who_must_do_what_in_the_texts_words() -> None:
    from assistant.generators.leads import planned_lead
    from assistant.plan import AnswerPlan, PlannedFact

    def lead(words: str, lang: str, actor: str | None = None) -> str | None:
        fact = PlannedFact(1, "art-14.p2", "duration", "60 days", words, actor)
        plan = AnswerPlan("fact", "duration", "in_force", None, (1,), (fact,))
        return planned_lead(plan, lang)

    assert lead("keep record backups for 60 days", "en", "access providers") == (
        "Access providers must keep record backups for 60 days. [1]"
    )
    # no actor annotated (or words that are no act): the value, then the words quoted
    assert lead("keep record backups for 60 days", "en") == (
        "60 days: “keep record backups for 60 days”. [1]"
    )
    assert lead("记录备份应当保存60日", "zh") == "记录备份应当保存60日。[1]"
    assert lead("保存60日", "zh") == "60日：“保存60日”。[1]"


def test_a_third_turn_inherits_what_the_second_inherited(rules_index) -> None:
    from assistant.analysis import Analyser, understand

    history = [
        ("user", "How long must record backups be kept?"),
        ("assistant", "…"),
        ("user", "And in the draft?"),
        ("assistant", "…"),
    ]
    u = understand("And under the 2011 wording?", history, Analyser(rules_index), _NoRewrite())  # type: ignore[arg-type]
    assert (u.analysis.intent, u.analysis.fact, u.analysis.versions) == (
        "fact",
        "duration",
        ["2011"],
    )
    assert "record backups" in u.standalone  # the topic of the turn that stood on its own


def test_an_earlier_wording_binds_no_one_now(rules_index) -> None:
    """Asked about the 2011 wording, the lead does not say who "must": that text is repealed."""
    from assistant.analysis import Analyser
    from assistant.plan import make_plan

    question = "Under the 2011 wording, how long did record backups have to be kept?"
    docs = _docs(rules_index, ["rules@2011#art-14"], "en")
    plan = make_plan(question, Analyser(rules_index).analyze(question), docs, rules_index)
    assert plan.scope == "wording 2011" and plan.facts[0].actor is None


def test_a_unit_only_for_the_other_kind_of_provider_gives_way(tiny_assistant) -> None:
    retriever = tiny_assistant.snapshot().retriever
    index = tiny_assistant.snapshot().index
    assert index.applies_to("rules@2024#art-5") == {"commercial providers"}
    question = "Where must a free site show the licence number?"  # a non-commercial provider
    plain = {
        h.unit: h.score for h in retriever.model_copy(update={"subject_fit": 1.0}).search(question)
    }
    fitted = {h.unit: h.score for h in retriever.search(question)}
    (art5,) = [u for u in plain if str(u) == "rules@2024#art-5"]
    assert fitted[art5] == pytest.approx(plain[art5] * retriever.subject_fit)
    assert retriever.subject_fit < 1.0
    commercial = "Where must a paid site show the licence number?"  # the unit's own provider
    assert {h.unit: h.score for h in retriever.search(commercial)}[art5] == pytest.approx(
        {
            h.unit: h.score
            for h in retriever.model_copy(update={"subject_fit": 1.0}).search(commercial)
        }[art5]
    )


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What do we have to keep, and what if we do not?", True),
        (
            "We are an ISP and keep logs 30 days. Is that enough, and if not what's the exposure?",
            True,
        ),
        ("The logs we were supposed to keep are gone. How much trouble are we in?", False),
        (
            "What exactly is a provider's duty when it finds prohibited content, and what's the "
            "sanction for ignoring it?",
            True,
        ),
        ("发现违法信息时平台有什么义务？不履行会怎么处罚？", True),
        (
            "Our free site never filed. Is there a fine for that, or is it handled differently?",
            False,
        ),
    ],
)
def test_a_sanction_question_asks_for_the_duty_only_when_it_asks_it(
    question: str, asks: bool
) -> None:
    from assistant.sanctions import asks_duty

    assert asks_duty(question) is asks


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("群里有人发赌博链接被我们发现了，平台该咋处理", "obligation"),
        ("有个网站一直没备案，被通管局发现了会咋样", "sanction"),
        ("our filing is non-commercial. we want a paid tier, is that ok?", "permission"),
        ("company homepage only. do we need an ICP证 or is 备案 enough?", "regime"),
        ("our homepage is just product info, nothing sold online. licence or beian?", "regime"),
        ("which one do we need, ICP证 or 备案?", "regime"),
        ("老板让我搞清楚咱们该办哪个", "regime"),
        ("有人上传淫秽视频，我们除了删掉还要干嘛？", "obligation"),
        ("代办公司报价8000块，官方收费是多少？", "fact"),
        ("Why did the authorities say the Rules needed revising in 2012?", "general"),
        ("Does the licence or filing need renewing every year?", "out_of_scope"),
        (
            "60 days now, or did the 2012 draft bump it up? Need both figures for a slide.",
            "comparison",
        ),
        ("那要是我们没管也没报告呢？", "sanction"),
        ("Apart from the police side, what can happen to our licence?", "sanction"),
        ("no crime charged. what does the filing authority do to the site?", "sanction"),
        ("公安处罚之外，对我们的经营许可证会有什么影响？", "sanction"),
        ("如果不是经营性的呢？", "general"),
        ("Rules vs 2012 draft: is filing info public under each?", "comparison"),
    ],
)
def test_colloquial_intents(question: str, intent: str) -> None:
    assert _intent(question)[0] == intent


def test_an_unchanged_article_is_quoted_where_it_states_the_period_asked_about(
    tiny_assistant,
) -> None:
    answer = tiny_assistant.ask(
        "Were the fines for serious circumstances, where the operating licence is revoked, "
        "different under the 2011 wording?"
    )
    assert answer.plan is not None and answer.plan["intent"] == "comparison"
    assert "reads the same" in answer.answer and "RMB 5,000" in answer.answer


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("personal blog, totally free, no ads. licence or filing?", "non-commercial providers"),
        ("付费会员内容要办什么证？", "commercial providers"),
        # the Rules' own name for the kind: no definition needed
        ("What regime applies to commercial internet information services?", None),
        ("非经营性网站实行什么制度？", None),
        ("How long must ISPs keep logs?", None),
    ],
)
def test_a_service_described_not_named(text: str, kind: str | None) -> None:
    from assistant.subjects import described_kind

    assert described_kind(text) == kind


def test_the_gate_asks_less_of_a_draft_question_the_explanation_answers(tiny_assistant) -> None:
    from assistant.policy import relevance
    from ingest.citations import CitationId

    snap = tiny_assistant.snapshot()
    question = "What principles guided the revision?"
    top = [(CitationId.parse("explanation#I"), 0.0)]

    def gate(min_coverage: float, about_the_draft: bool) -> bool:
        return relevance(
            question,
            top,
            snap.index,
            snap.sentences,
            dense_search=False,
            min_coverage=min_coverage,
            about_the_draft=about_the_draft,
        ).relevant

    coverage = relevance(question, top, snap.index, snap.sentences, dense_search=False).coverage
    assert 0 < coverage < 1
    assert not gate(coverage + 0.05, about_the_draft=False)
    assert gate(coverage + 0.05, about_the_draft=True)
    # only when the Explanation answers it
    rules_top = [(CitationId.parse("rules@2024#art-1"), 0.0)]
    rules_cov = relevance(question, rules_top, snap.index, snap.sentences, dense_search=False)
    assert not relevance(
        question,
        rules_top,
        snap.index,
        snap.sentences,
        dense_search=False,
        min_coverage=rules_cov.coverage + 0.05,
        about_the_draft=True,
    ).relevant


def test_a_fine_asked_about_is_quoted_from_every_clause_that_sets_one(tiny_assistant) -> None:
    snap = tiny_assistant.snapshot()
    extractive = snap.generators["extractive"]
    [doc] = snap.retriever.cited(["rules@2024#art-6"], "en")
    clauses = extractive._best_clauses(doc, "Did the fine change?")
    assert [c.text for c in clauses] == [
        c.text for c in extractive._sentences(doc) if "RMB" in c.text
    ]
    assert len(extractive._best_clauses(doc, "Who must make corrections?")) == 1


def test_a_sanction_is_told_apart_by_how_users_ask_about_it(rules_index) -> None:
    """Art. 19 (no licence or filing) ranks first, but the question describes what users say
    of Art. 20 (publishing prohibited information): with the provisions' phrasings, Art. 20."""
    from assistant.analysis import Analyser
    from assistant.parts import PartMatcher
    from assistant.plan import make_plan

    ids = ["rules@2024#art-19", "rules@2024#art-8", "rules@2024#art-20", "rules@2024#art-11"]
    question = "非经营性网站发了违法信息，但还不够犯罪，备案机关会怎么处理这个网站？"
    a = Analyser(rules_index).analyze(question)
    docs = _docs(rules_index, ids, "zh")
    assert make_plan(question, a, docs, rules_index).targets == (1,)
    parts = PartMatcher.build(rules_index.chunks)
    assert make_plan(question, a, docs, rules_index, parts).targets == (3,)


def test_a_second_target_is_quoted_where_it_speaks_of_the_subject(rules_index) -> None:
    from assistant.generators.extractive import ExtractiveGenerator
    from assistant.generators.quoting import Pick
    from assistant.plan import AnswerPlan
    from assistant.sentences import SentenceIndex

    sentences = SentenceIndex(rules_index)
    generator = ExtractiveGenerator(sentences)
    [doc] = _docs(rules_index, ["rules@2024#art-3"], "en")
    clauses = generator._sentences(doc)
    plan = AnswerPlan("regime", "regime", "in_force", "commercial providers", (1,))
    for_commercial = {c.part for c in clauses if generator._for(plan, doc, Pick(0.0, 1, c))}
    assert for_commercial == {"art-3.p2"}
    anyone = AnswerPlan("regime", "regime", "in_force", None, (1,))
    assert not any(generator._for(anyone, doc, Pick(0.0, 1, c)) for c in clauses)


@pytest.mark.parametrize(
    "question",
    [
        "Is there a general-purpose duty on providers?",
        "What counts as a service for the purposes of the Rules?",
        "备案的目的是什么？",
    ],
)
def test_purpose_the_word_is_not_always_the_question(question: str) -> None:
    assert _intent(question)[0] != "purpose"


def test_a_date_the_explanation_never_gives_is_not_taken_from_a_nearby_point(rules_index) -> None:
    from assistant.analysis import Analyser
    from assistant.plan import make_plan

    analyser = Analyser(rules_index)
    question = "On what date did the 2012 revision draft come into force?"
    docs = _docs(rules_index, ["explanation#preamble", "explanation#II", "explanation#I"], "en")
    assert (
        make_plan(question, analyser.analyze(question), docs, rules_index).fact == "unstated-date"
    )
    question = "When did the Rules take effect?"
    docs = _docs(rules_index, ["rules@2024#art-27", "rules@2024#art-26"], "en")
    plan = make_plan(question, analyser.analyze(question), docs, rules_index)
    assert plan.fact == "date" and plan.targets == (1,)


def test_a_prohibition_named_by_its_own_words_is_punished_by_its_sanction(rules_index) -> None:
    """ "Gambling" is a word only Art. 15 (prohibited content) uses: publishing it is punished
    by Art. 20 even when Art. 19 (no licence) ranks first and the question speaks of the
    licence; leaving a user's post up is the duty to act on it, not the prohibition."""
    from assistant.analysis import Analyser
    from assistant.parts import PartMatcher
    from assistant.plan import make_plan
    from assistant.sanctions import named_prohibitions
    from ingest.citations import CitationId

    assert "gambl" in rules_index.own_words("rules@2024#art-15", "en")
    assert "gambl" not in rules_index.own_words("rules@2024#art-20", "en")
    ids = ["rules@2024#art-19", "rules@2024#art-8", "rules@2024#art-20", "rules@2024#art-11"]
    question = (
        "Our licensed site ran a post pushing online gambling. What can happen to our licence?"
    )
    a = Analyser(rules_index).analyze(question)
    parts = PartMatcher.build(rules_index.chunks)
    docs = _docs(rules_index, ids, "en")
    assert make_plan(question, a, docs, rules_index, parts).targets == (3,)
    art_15 = CitationId.parse("rules@2024#art-15")
    assert art_15 in named_prohibitions(question, "en", rules_index)
    left = "A user posted gambling links and we left them up, no report. What can happen to us?"
    assert art_15 not in named_prohibitions(left, "en", rules_index)
    # "internet" is not "interest", "supervision" not "superstition"
    other = "What penalties apply to internet supervision staff?"
    assert art_15 not in named_prohibitions(other, "en", rules_index)


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("when did the measures come into force? was there a grace period?", "date"),
        ("Do the ICP Measures have a separate commencement date?", "date"),
        ("How long is the grace period for sites that ran before the Rules?", "duration"),
    ],
)
def test_when_they_took_effect_asks_for_the_date_first(question: str, fact: str) -> None:
    assert _intent(question) == ("fact", fact)


def test_a_rare_fact_asked_for_vouches_for_the_unit_that_states_it(rules_index) -> None:
    """The only date the Rules set is when they take effect: a date question whose first
    units include Art. 27 is about the texts however far its words are; a period is not rare
    enough to vouch for anything."""
    from assistant.policy import states_asked_fact
    from ingest.citations import CitationId

    units = [CitationId.parse(u) for u in ("rules@2024#art-26", "rules@2024#art-27")]
    assert states_asked_fact("date", units, rules_index)
    assert not states_asked_fact("duration", units, rules_index)
    assert not states_asked_fact("date", units[:1], rules_index)


def test_a_follow_up_on_content_left_up_leans_on_the_duty_not_the_list(
    rules_settings, rules_index
) -> None:
    """The last answer quoted Art. 15 (what is forbidden); "if we didn't take it down or
    report it?" speaks of a duty left undone: Art. 20 (publishing what Art. 15 forbids) is
    not put first. Leaning on a duty the last answer quoted puts what punishes it first."""
    from assistant.analysis import Analyser, understand
    from assistant.pipeline import _anchors
    from assistant.snapshot import build_snapshot

    snap = build_snapshot(rules_settings, rules_index, None)
    first = "有人上传了涉恐视频，这属于禁止的内容吗？"
    follow = "如果我们没及时下架、也没上报，会有什么后果？"
    quoted = [("user", first), ("assistant", "第十五条（2024年文本）：“……”[1]")]
    u = understand(follow, quoted, Analyser(rules_index), _NoRewrite())  # type: ignore[arg-type]
    assert u.analysis.asks_sanction
    assert "rules@2024#art-20" not in map(str, _anchors(u, snap))
    kept = [("user", "发帖记录要保存多久？"), ("assistant", "第十四条（2024年文本）：“……”[1]")]
    u = understand("没保存的话会怎么处罚？", kept, Analyser(rules_index), _NoRewrite())  # type: ignore[arg-type]
    assert [str(x) for x in _anchors(u, snap)] == ["rules@2024#art-21"]


def test_a_follow_up_after_a_sanction_answer_keeps_that_sanction(
    rules_settings, rules_index
) -> None:
    """The last answer already quoted the sanction (Art. 22, the filing number not shown);
    "这种情况管局会咋处理？" or a question with no topic of its own ("会被怎么处罚？罚多少")
    stays on it, not on another article's fine."""
    from assistant.analysis import Analyser, understand
    from assistant.pipeline import _anchors
    from assistant.snapshot import build_snapshot

    snap = build_snapshot(rules_settings, rules_index, None)
    told = [
        ("user", "新版官网上线时底部那串号码漏了，已经挂了三个月"),
        ("assistant", "第二十二条（2024年文本）：“……”[1]"),
    ]
    for follow in ("这种情况管局会咋处理，要交钱吗", "会被怎么处罚？罚多少"):
        u = understand(follow, told, Analyser(rules_index), _NoRewrite())  # type: ignore[arg-type]
        assert [str(x) for x in _anchors(u, snap)] == ["rules@2024#art-22"], follow
    # a question with a topic of its own is not anchored on the last answer
    u = understand("经营性网站不办许可证怎么罚", told, Analyser(rules_index), _NoRewrite())  # type: ignore[arg-type]
    assert _anchors(u, snap) == []


@pytest.mark.parametrize(
    ("question", "before"),
    [
        ("Our filing is still pending. Can we open the site to customers this week?", True),
        ("can we run the shop now and do the licence paperwork later?", True),
        ("May a site operate before the filing formalities are completed?", True),
        ("许可证还没批下来，平台能先运营吗？", True),
        ("What must we sort out before applying for the ICP licence for a news app?", False),
        ("Our licence covers travel info; can we launch a video section next month?", False),
        ("Do we need to file before opening a forum?", False),
    ],
)
def test_running_before_the_licence_or_filing_is_in_place(question: str, before: bool) -> None:
    from assistant.breaches import operates_before_regime

    assert operates_before_regime(question) is before


def test_running_before_the_filing_is_answered_by_what_forbids_anyone_to(
    rules_settings, rules_index
) -> None:
    """Art. 4 forbids anyone (not yet a provider) to run a service without a licence or
    filing; Art. 11 binds providers already licensed or filed. Asked about launching while the
    filing is pending, Art. 4 comes first."""
    from assistant.snapshot import build_snapshot

    snap = build_snapshot(rules_settings, rules_index, None)
    question = "Our bei'an is still pending. Can we soft launch the new site on Friday anyway?"
    assert snap.retriever.search(question)[0].unit.locator == "art-4"


def test_a_bare_follow_up_asking_where_weighs_its_own_question() -> None:
    """ "那去哪儿申请？" after a question on the licence's conditions asks where to apply: its own
    words count twice against the topic, short as it is."""
    from assistant.history import standalone

    history = [("user", "办ICP证需要什么条件？"), ("assistant", "…")]
    searched = standalone("那去哪儿申请？", history, has_refs=False)
    assert searched.count("那去哪儿申请？") == 2 and searched.startswith("办ICP证需要什么条件？")


def test_asked_how_the_two_kinds_differ_both_definitions_are_quoted(rules_assistant) -> None:
    """Naming both kinds (经营性和非经营性) asks for neither alone: no subject, a definition
    question, and each kind's definition quoted."""
    from assistant.subjects import subject_of

    question = "经营性和非经营性怎么区分？"
    assert subject_of(question) is None
    assert subject_of("我们是非经营性网站") == "non-commercial providers"
    answer = rules_assistant.ask(question)
    assert answer.plan is not None and answer.plan["intent"] == "definition"
    assert "有偿" in answer.answer and "无偿" in answer.answer


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("We applied ten weeks ago and heard nothing. Is the bureau late?", "duration"),
        ("审批三个月了还没消息，管局是不是超期了？", "duration"),
    ],
)
def test_whether_a_deadline_has_passed_asks_for_the_period(question: str, fact: str) -> None:
    assert _intent(question) == ("fact", fact)
    assert _intent("Is it too late to add a forum?")[1] != "duration"


def test_a_period_in_the_unit_the_ranker_gives_the_majority_answers(rules_index) -> None:
    """No word of the question is in Art. 26, but the ranker learned from its users' phrasings
    gives it the majority, or twice any other unit's share: its period answers; with a weak
    share, or one a rival nearly matches, it does not."""
    from assistant.analysis import Analyser
    from assistant.plan import make_plan

    question = "Our site was up in 1999: how long did running sites get to sort out paperwork?"
    a = Analyser(rules_index).analyze(question)
    for share, rival, fact in (
        (0.6, 0.3, "duration"),
        (0.3, 0.12, "duration"),
        (0.2, 0.15, "unstated-period"),
        (0.15, 0.0, "unstated-period"),
    ):
        docs = _docs(rules_index, ["rules@2024#art-26", "rules@2024#art-14"], "en")
        docs[0].metadata["ranker"] = share
        docs[1].metadata["ranker"] = rival
        plan = make_plan(question, a, docs, rules_index)
        assert plan.fact == fact
        assert plan.targets == ((1,) if fact == "duration" else ())


def test_a_described_service_asked_licence_or_filing_cites_the_regime_alone(rules_index) -> None:
    """ "Totally free, no ads: licence or filing?" is answered by the regime (Art. 4), which
    names both kinds; the definitions (Art. 3) stay in view but are not cited beside it."""
    from assistant.analysis import Analyser
    from assistant.plan import make_plan

    question = "personal blog, totally free, no ads. do i need a licence or is it just a filing?"
    a = Analyser(rules_index).analyze(question)
    docs = _docs(rules_index, ["rules@2024#art-4", "rules@2024#art-3"], "en")
    plan = make_plan(question, a, docs, rules_index)
    assert plan.intent == "regime" and plan.targets == (1,)


def test_a_regime_question_far_below_another_unit_is_not_taken_to_the_regime(
    rules_index,
) -> None:
    """ "Filed site, adding a forum: is the filing enough?" reads as a regime question, but when
    retrieval puts the regime article far below the first unit (under half its score), the
    regime is not what answers it; close behind, it still is."""
    from assistant.analysis import Analyser
    from assistant.plan import make_plan

    question = (
        "Our site is filed. We want to add a forum. Is the filing enough or do we need a licence?"
    )
    a = Analyser(rules_index).analyze(question)
    assert a.intent == "regime"
    docs = _docs(rules_index, ["rules@2024#art-9", "rules@2024#art-8", "rules@2024#art-4"], "en")
    for doc, score in zip(docs, (3.0, 2.0, 1.2), strict=True):
        doc.metadata["score"] = score
    assert 3 not in make_plan(question, a, docs, rules_index).targets
    docs[2].metadata["score"] = 1.8
    assert make_plan(question, a, docs, rules_index).targets == (3,)


def test_the_rules_words_are_told_apart_by_how_many_articles_use_them(rules_index) -> None:
    assert rules_index.word_share("client", "en") == 0.0  # the Rules never say it
    assert 0.0 < rules_index.word_share("fine", "en") <= 0.25  # a few sanction articles
    assert rules_index.word_share("internet", "en") > 0.5
    assert 0.0 < rules_index.word_share("罚款", "zh") <= 0.25


@pytest.mark.parametrize(
    ("question", "changed_first"),
    [
        # filler words name no matter of the Rules: the articles that changed come first
        (
            "what actually changed in the 2024 revision vs the 2011 text? client wants a one-liner",
            True,
        ),
        ("2024年12月国务院那次修改，具体改了哪一条？", True),
        # a matter named: its article, not the ones that changed
        ("Did the 2024 revision change the fines for running without a licence?", False),
    ],
)
def test_what_changed_without_a_matter_brings_the_changed_articles(
    rules_assistant, question: str, changed_first: bool
) -> None:
    ids = [d.metadata["id"] for d in rules_assistant.retriever.invoke(question)]
    assert (ids[0] in ("rules@2024#art-5", "rules@2011#art-5")) is changed_first


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # a price told in passing does not make a regime question a question of cost
        (
            "Our consultant says we need a commercial ICP licence which costs 10k. Which regime applies?",
            "regime",
        ),
        ("How much does an ICP licence cost, or is a filing enough?", "fact"),
        (
            "Sales says we need the full ICP license. Do we, or is something lighter enough?",
            "regime",
        ),
    ],
)
def test_a_regime_question_with_a_price_in_it(question: str, intent: str) -> None:
    assert _intent(question)[0] == intent


@pytest.mark.parametrize(
    "text",
    [
        "our site: photos and a contact form, nothing is sold on it and nobody pays to see anything",
        "menu + addresses only, no online ordering",
        "官网只是展示，没有在线支付",
    ],
)
def test_a_site_that_sells_nothing_is_non_commercial(text: str) -> None:
    from assistant.subjects import subject_of

    assert subject_of(text) == "non-commercial providers"


@pytest.mark.parametrize(
    ("question", "intent", "fact"),
    [
        # "做了几个" is "a few"; the question asks the definition
        (
            "我们就是做了几个H5活动页，这个也算互联网信息服务吗？办法里是怎么定义的",
            "definition",
            None,
        ),
        ("办法一共有几条？", "fact", "count"),
        # which kind a described service is, whatever users "可以" do on it
        ("网站卖会员，会员可以付费下载报告，这种算经营性还是非经营性", "definition", None),
        ("Members can download paid reports. Does that count as commercial?", "definition", None),
        # a fee said not to be charged describes the service; it asks no price
        ("公司官网只展示产品，不收任何费用，属于哪一类互联网信息服务？", "definition", None),
        # running before the filing is done: whether it may, not a period
        ("备案还在走流程，那没备案能不能先上线试运营几天？", "permission", None),
        (
            "We launched a paid site without the licence. Is there still a fine?",
            "sanction",
            "amount",
        ),
        ("What reasons did the drafters give for revising the 2000 rules?", "general", None),
        ("The 2012 draft: what broader principles guided the revision?", "general", None),
        (
            "How did the 2012 draft change the retention period compared with today?",
            "comparison",
            None,
        ),
    ],
)
def test_descriptions_inside_a_question_do_not_decide_its_intent(
    question: str, intent: str, fact: str | None
) -> None:
    assert _intent(question) == (intent, fact)


@pytest.mark.parametrize(
    ("unit", "question", "referred"),
    [
        # Art. 8 refers to Art. 5, which applies to news, publishing and education services
        (
            "rules@2024#art-8",
            "Our free site offers educational content: what goes in the filing?",
            ["rules@2024#art-5"],
        ),
        ("rules@2024#art-8", "我们做新闻网站，备案要交什么材料？", ["rules@2024#art-5"]),
        ("rules@2024#art-8", "What goes in a filing for a free recipe blog?", []),
        # Art. 16 refers to Art. 15's list, which applies to everyone Art. 16 does
        ("rules@2024#art-16", "Someone posted gambling ads on our news site. What must we do?", []),
    ],
)
def test_a_reference_is_followed_to_whom_the_question_names(
    rules_index, unit: str, question: str, referred: list[str]
) -> None:
    from assistant.referrals import referred_for_whom

    found = referred_for_whom(rules_index, CitationId.parse(unit), question)
    assert [str(u) for u in found] == referred
    assert rules_index.refers_to(unit)  # the reference itself is there in every case


def test_the_referred_unit_is_cited_beside_the_target(rules_index) -> None:
    from assistant.analysis import Analyser
    from assistant.plan import make_plan

    question = "Our free website will offer educational content. What must the filing include?"
    a = Analyser(rules_index).analyze(question)
    docs = _docs(rules_index, ["rules@2024#art-8", "rules@2024#art-5", "rules@2024#art-9"], "en")
    assert make_plan(question, a, docs, rules_index).targets == (1, 2)
    plain = "Our free recipe blog: what must the filing include?"
    assert make_plan(plain, Analyser(rules_index).analyze(plain), docs, rules_index).targets == (1,)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # a request to the assistant is not a question of permission
        ("Could you explain what a filing needs?", "general"),
        ("Can we charge users on a filed site?", "permission"),
        # what the Rules make a provider do
        (
            "What exactly do the ICP rules make us record about each post? Can you list it?",
            "obligation",
        ),
    ],
)
def test_requests_to_the_assistant_and_what_the_rules_make_us_do(
    question: str, intent: str
) -> None:
    assert _intent(question)[0] == intent


def test_the_revised_text_names_the_wording_in_force() -> None:
    a = analyze(
        "按2024年修订后的文本，第五条点名需要审核同意的是哪几类服务？",
        articles=27,
        versions=["2011", "2024"],
    )
    assert a.versions == ["2024"] and not a.compares
    b = analyze("2024年修订后的文本和之前有什么不同？", articles=27, versions=["2011", "2024"])
    assert b.compares and b.versions == ["2011", "2024"]


def test_an_answer_names_the_explanation_units_it_quotes() -> None:
    from assistant.generators.base import explanation_units_named

    text = (
        "Explanation of the 2012 draft, I: “…” [1]\n\nExplanation of the 2012 draft, II.4: “…” [2]"
    )
    assert [str(u) for u in explanation_units_named(text)] == ["explanation#I", "explanation#II.4"]
    assert str(CitationId.parse("explanation#I").point(2)) == "explanation#I.2"


def test_a_follow_up_on_the_second_point_reads_that_point(rules_assistant) -> None:
    first = "What were the main principles behind the 2012 revision draft?"
    said = "Explanation of the 2012 draft, I: “According to the principles of vigorous use …” [1]"
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": said}]
    answer = rules_assistant.ask("and the second one – what was that about?", history)
    assert answer.cited_ids[:1] == ["explanation#I.2"]


@pytest.mark.parametrize(
    ("follow_up", "leans"),
    [
        # a matter of its own, in users' words: the follow-up weighs as much as the topic
        ("and the number on the site — does it still have to be on the new homepage?", True),
        # only whom it is for, or the licence or filing: the topic leads
        ("如果我们是免费的、只做了备案的那种呢？", False),
        ("and if we only have a filing?", False),
    ],
)
def test_a_follow_up_naming_a_matter_of_its_own_weighs_as_much_as_the_topic(
    follow_up: str, leans: bool
) -> None:
    from assistant.history import standalone

    history = [("user", "We need to change our domain, what do we do?"), ("assistant", "…")]
    searched = standalone(follow_up, history, False)
    assert searched.startswith("We need to change our domain")
    assert (searched.count(follow_up.strip()) == 2) is leans


@pytest.mark.parametrize(
    ("text", "draft_articles", "refs"),
    [
        ("What did Article 7 of the 2012 opinion-seeking draft do?", [7], []),
        ("What does Article 10 in the draft say about forums?", [10], []),
        ("同事说办法第七条就是2012草案第7条那个网站准入条件，是一回事吗？", [7], ["rules#art-7"]),
    ],
)
def test_articles_of_the_draft_are_told_from_the_rules(
    text: str, draft_articles: list[int], refs: list[str]
) -> None:
    a = analyze(text, articles=27, versions=["2011", "2024"])
    assert a.draft_articles == draft_articles
    assert [str(r.without_version()) for r in a.refs] == refs


def test_a_draft_article_the_explanation_never_names_is_refused(rules_assistant) -> None:
    ask = rules_assistant.ask
    answer = ask("What exactly does Article 31 of the 2012 draft provide?")
    assert answer.abstained and "does not describe Article 31" in (answer.reason or "")
    assert not ask("What did Article 7 of the 2012 draft do?").abstained


@pytest.mark.parametrize(
    ("question", "intent", "fact"),
    [
        ("Was the 2012 draft ever adopted? On what date?", "fact", "date"),
        ("2012年那个征求意见稿，公众反馈意见的截止日期是哪天？", "fact", "date"),
        ("How long would the 2012 draft have had us keep logs?", "fact", "duration"),
    ],
)
def test_a_date_asked_of_the_draft(question: str, intent: str, fact: str) -> None:
    assert _intent(question) == (intent, fact)


def test_a_sanction_asked_of_the_draft_is_the_explanations_or_none(rules_index) -> None:
    from assistant.analysis import Analyser
    from assistant.plan import make_plan

    docs = _docs(rules_index, ["rules@2024#art-20", "explanation#II.6", "rules@2024#art-19"], "en")
    amount = "How much would a platform have been fined under the 2012 draft for leaking user data?"
    plan = make_plan(amount, Analyser(rules_index).analyze(amount), docs, rules_index)
    assert plan.fact == "unstated-amount" and plan.targets == ()
    what = "Did the 2012 draft attach consequences to leaking user data?"
    plan = make_plan(what, Analyser(rules_index).analyze(what), docs, rules_index)
    assert plan.intent == "sanction" and plan.targets == (2,)


@pytest.mark.parametrize(
    ("said", "follow", "counterpart"),
    [
        (
            "Article 9 (2024 wording): “… shall file a special application …” [1]",
            "ok and how would the 2012 draft have changed that for forums?",
            ["explanation#II.1"],
        ),
        (
            "Explanation of the 2012 draft, II.4: “… 12 months …” [1]",
            "and what do the Rules as they stand now require?",
            ["rules@2024#art-14"],
        ),
        # staying in the same document: no counterpart
        ("Article 9 (2024 wording): “…” [1]", "and what about microblogs?", []),
    ],
)
def test_a_follow_up_turning_between_the_rules_and_the_draft_reads_the_counterpart(
    rules_settings, rules_index, said: str, follow: str, counterpart: list[str]
) -> None:
    from assistant.analysis import Analyser, understand
    from assistant.pipeline import _across_documents
    from assistant.snapshot import build_snapshot

    snap = build_snapshot(rules_settings, rules_index, None)
    told = [("user", "What do the rules require here?"), ("assistant", said)]
    u = understand(follow, told, Analyser(rules_index), _NoRewrite())  # type: ignore[arg-type]
    assert [str(x) for x in _across_documents(u, snap)] == counterpart


@pytest.mark.parametrize(
    ("question", "falls"),
    [
        ("通管局会直接封站吗？", False),
        ("will the bureau shut our site down?", False),
        ("if the 通管局 staff sit on our case for favours, are they punished?", True),
        ("管局工作人员滥用职权怎么处理？", True),
    ],
)
def test_the_officials_sanction_answers_only_questions_about_officials(
    rules_index, question: str, falls: bool
) -> None:
    from assistant.sanctions import falls_on_asker

    assert falls_on_asker(rules_index, "rules@2024#art-25", question) is falls
    assert falls_on_asker(rules_index, "rules@2024#art-19", question)


@pytest.mark.parametrize(
    ("follow", "points"),
    [
        ("and the second one – what was that about?", True),
        ("第二点具体讲什么？", True),
        ("the first time we filed, was that enough?", False),
        ("what did they do first?", False),
    ],
)
def test_a_point_is_asked_for_by_its_place_only_with_the_or_第(follow: str, points: bool) -> None:
    from assistant.pipeline import _ORDINAL

    assert bool(_ORDINAL.search(follow)) is points

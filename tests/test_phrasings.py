"""How users phrase what they ask: an official's wrongdoing, what happens once caught, a
follow-up that names its own wording, whether the wording in force still says something."""

from __future__ import annotations

import pytest

from assistant.intent import intent_of
from assistant.query import analyze


def _analysis(question: str):
    a = analyze(question, articles=27, explanation={"II.4"}, versions=["2011", "2024"])
    a.intent, a.fact = intent_of(question, a)
    return a


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("我们是个小IDC，之前一直没记用户的上网时间，被查到会怎么处理？", "sanction"),
        ("通信管理局有工作人员收好处费帮人批证，办法对这种人怎么处理？", "sanction"),
        # what to do once the content is found is a duty, not a sanction
        ("群里有人发赌博链接被我们发现了，平台该咋处理", "obligation"),
    ],
)
def test_what_is_done_once_caught_is_a_sanction(question: str, intent: str) -> None:
    assert _analysis(question).intent == intent


@pytest.mark.parametrize(
    ("question", "officials"),
    [
        (
            "If someone at the comms administration waves licences through for kickbacks, what "
            "sanctions does that official face?",
            True,
        ),
        ("通信管理局有工作人员收好处费帮人快速批ICP证，办法对这种人怎么处理？", True),
        # the officials named as those who punish: the provider's sanction answers
        ("What can the officials do to us if we never filed?", False),
    ],
)
def test_an_officials_wrongdoing_is_answered_by_the_officials_sanction(
    rules_index, question: str, officials: bool
) -> None:
    from assistant.analysis import Analyser
    from assistant.plan import make_plan
    from tests.test_plan import _docs

    ids = ["rules@2024#art-19", "rules@2024#art-7", "rules@2024#art-25", "rules@2024#art-22"]
    a = Analyser(rules_index).analyze(question)
    plan = make_plan(question, a, _docs(rules_index, ids, a.lang), rules_index)
    assert plan.intent == "sanction"
    assert (ids[plan.targets[0] - 1] == "rules@2024#art-25") is officials


@pytest.mark.parametrize(
    "question",
    [
        "Our memo quotes the pre-approval article. Does the current wording of that article "
        "still mention healthcare?",
        "现在的版本还写着医疗保健吗？",
    ],
)
def test_whether_the_wording_in_force_still_says_it_compares_the_wordings(question: str) -> None:
    a = _analysis(question)
    assert a.asks_change and a.versions == ["2011", "2024"]


def test_a_follow_up_naming_its_own_wording_replaces_the_one_before(rules_index) -> None:
    from assistant.analysis import Analyser, understand
    from tests.test_plan import _NoRewrite

    history = [("user", "2011年版第五条列举了哪些需要前置审批的服务？"), ("assistant", "…")]
    got = understand("那2024年修订后的版本呢？", history, Analyser(rules_index), _NoRewrite())  # type: ignore[arg-type]
    assert got.analysis.versions == ["2024"]
    assert "2011" not in got.standalone and "第五条" in got.standalone
    # a turn that names no wording keeps the one before
    same = understand("那教育类呢？", history, Analyser(rules_index), _NoRewrite())  # type: ignore[arg-type]
    assert same.analysis.versions == ["2011"]


def test_the_revision_decision_names_no_matter_of_the_rules(rules_assistant) -> None:
    question = "What did the December 2024 State Council decision change compared with 2011?"
    ids = [d.metadata["id"] for d in rules_assistant.retriever.invoke(question)]
    assert ids[0] in ("rules@2024#art-5", "rules@2011#art-5")


@pytest.mark.parametrize(
    ("question", "out"),
    [
        ("我们的App要上架华为应用市场，需要提供软著吗？网站已经备案了", True),
        ("Filing done. How many hours can minors play under the anti-addiction rules?", True),
        # a site that does news still asks about the Rules
        ("We run a news site: do we need pre-approval before the ICP filing?", False),
    ],
)
def test_app_stores_software_copyright_and_minors_gaming_are_other_rules(
    question: str, out: bool
) -> None:
    assert bool(_analysis(question).out_of_scope) is out


@pytest.mark.parametrize(
    ("question", "in_domain"),
    [
        ("Can you brainstorm a catchy name for our ICP-filed parcel-tracking website?", False),
        ("帮我们的备案网站起个好听的名字", False),
        ("What name must the filing give for the site's organiser?", True),
    ],
)
def test_naming_done_for_the_user_is_not_a_question_of_the_texts(
    question: str, in_domain: bool
) -> None:
    from assistant.query import in_domain as domain

    assert domain(question) is in_domain


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("卫生部门管不管互联网信息内容？办法里是怎么分工的", "general"),
        ("经营性和非经营性怎么分？", "definition"),
        # two ideas set against each other are not two texts
        ("the 2012 draft explanation: what principles? something about development vs management?", "general"),
        ("60 days now vs the draft?", "comparison"),
    ],
)  # fmt: skip
def test_a_word_of_division_or_versus_is_read_in_context(question: str, intent: str) -> None:
    assert _analysis(question).intent == intent


@pytest.mark.parametrize(
    ("question", "referred"),
    [
        # the user's word stands in Art. 5 (新闻): Art. 5 comes with Art. 8
        ("我们是做新闻资讯的，办备案的时候要附上什么文件？", True),
        # a long gloss of another provision ("查询" → publishing lists of providers) names no kind
        ("我们官网只展示公司介绍和网点查询，备案需要交哪些材料？", False),
    ],
)
def test_a_referred_unit_comes_only_for_the_kind_of_service_named(
    rules_index, question: str, referred: bool
) -> None:
    from assistant.referrals import referred_for_whom
    from ingest.citations import CitationId

    got = referred_for_whom(rules_index, CitationId.parse("rules@2024#art-8"), question)
    assert bool(got) is referred


def test_a_chinese_question_is_bridged_to_the_english_only_explanation(rules_assistant) -> None:
    """The glossary gives 实名 in the Explanation's language too: the question's words are
    covered by II.5 although the Explanation has no Chinese text."""
    chunks = rules_assistant.index.chunks_of("explanation#II.5")
    assert {c.lang for c in chunks} == {"en"}
    got = rules_assistant.sentences.coverage("2012草案里实名注册那个是第几条？", chunks)
    assert got > 0.0


@pytest.mark.parametrize(
    ("question", "fact"),
    [("2012草案里实名注册那个是第几条？", None), ("办法一共有几条？", "count")],
)
def test_which_article_is_not_how_many(question: str, fact: str | None) -> None:
    assert _analysis(question).fact == fact


def test_a_named_article_does_not_bring_another_law_into_the_texts(rules_assistant) -> None:
    answer = rules_assistant.ask(
        "Article 6 says we need sound security safeguards: does that mean we must pass MLPS "
        "level 3 before applying for the licence?"
    )
    assert answer.abstained and not answer.citations
    assert answer.see_also == ["rules@2024#art-6"]


def test_consent_to_share_personal_data_is_another_laws_matter() -> None:
    question = (
        "Our ICP-filed shop collects customers' phone numbers. Do we need separate consent "
        "before sharing them with our logistics partner?"
    )
    assert _analysis(question).out_of_scope
    # the examination and consent of Art. 5 is the Rules' own
    assert not _analysis(
        "Do news sites need the consent of the competent authority first?"
    ).out_of_scope


@pytest.mark.parametrize(
    ("question", "intent", "fact"),
    [
        ("the freelancer removed our footer and the bureau called. is this a big deal, how much could this cost us", "sanction", None),
        ("We launched a service line not on our licence. What does the bureau do in that case?", "sanction", None),
        # the definition asked for, whatever price the story tells
        ("Browsing is free but we keep a 15% commission and profiles cost nothing. How do the Rules define commercial?", "definition", None),
        ("How much does the filing cost?", "fact", "cost"),
    ],
)  # fmt: skip
def test_cost_words_in_a_story_do_not_make_a_question_of_price(
    question: str, intent: str, fact: str | None
) -> None:
    a = _analysis(question)
    assert (a.intent, a.fact) == (intent, fact)


@pytest.mark.parametrize(
    ("question", "refused"),
    [
        ("一个备案主体下面最多能挂几个域名？", True),
        ("How many domains can one ICP filing cover?", True),
        ("What must the filing include about the website's address?", False),
    ],
)
def test_how_many_domains_a_filing_carries_is_left_to_practice(
    question: str, refused: bool
) -> None:
    assert bool(_analysis(question).not_covered) is refused


def test_revising_in_2012_names_the_drafting_work_not_a_comparison() -> None:
    question = "What principles did the drafters say they followed when revising in 2012?"
    assert _analysis(question).intent != "comparison"


def test_which_services_the_text_in_force_still_names_asks_its_list_only() -> None:
    a = _analysis("In the current 2024 text, which services does Art 5 still name?")
    assert not a.asks_change and a.versions == ["2024"]


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("产品里准备加一个用户交流社区，就是BBS那种", ["bulletin board services"]),
        ("我们是ISP，做宽带接入的", ["access providers"]),
        ("a jobs board for expats", []),
    ],
)
def test_service_kinds_are_found_between_chinese_characters(
    question: str, kinds: list[str]
) -> None:
    from assistant.subjects import kinds_named

    assert kinds_named(question) == kinds


def test_a_unit_for_the_kind_of_service_named_answers_before_the_regimes(rules_index) -> None:
    from assistant.analysis import Analyser
    from assistant.plan import make_plan
    from tests.test_plan import _docs

    question = "我们经营性ICP证正在申请，产品里准备加一个BBS。这块有什么特别的要求吗"
    ids = ["rules@2024#art-6", "rules@2024#art-9", "rules@2024#art-4"]
    a = Analyser(rules_index).analyze(question)
    assert make_plan(question, a, _docs(rules_index, ids, "zh"), rules_index).targets == (2,)
    # a unit for every provider already speaks to the forum
    ids = ["rules@2024#art-16", "rules@2024#art-9", "rules@2024#art-4"]
    assert make_plan(question, a, _docs(rules_index, ids, "zh"), rules_index).targets != (2,)


@pytest.mark.parametrize(
    ("question", "duty"),
    [
        # two questions: the first of its own, then what follows a breach
        ("股吧类论坛的记录备份要保存多久？如果没存够，会被怎么处理？", True),
        ("Can we just launch it, and what's the exposure if we do?", True),
        # both questions ask what follows
        ("网站会被怎么处理？证会不会被吊销？", False),
        ("Can someone face criminal charges over this, and what happens to our licence?", False),
    ],
)
def test_a_question_of_its_own_before_the_sanction_asks_for_the_duty_too(
    question: str, duty: bool
) -> None:
    from assistant.sanctions import asks_duty

    assert asks_duty(question) is duty


@pytest.mark.parametrize(
    "question",
    [
        "Our site goes live Monday (filing done). Can you write a short, warm toast for the launch?",
        "读书会刚建好网站，帮我们起个好听又有文化气息的名字呗",
    ],
)
def test_writing_done_for_the_user_is_not_a_question_of_the_texts(question: str) -> None:
    from assistant.query import in_domain

    assert not in_domain(question)


@pytest.mark.parametrize(
    "question",
    [
        "阿里云和腾讯云哪家的ICP备案更好过、更快？",
        "一个身份证最多能备案几个网站？",
        "do those log backups have to be encrypted, and is CSV an acceptable file format?",
    ],
)
def test_practice_the_texts_leave_open_is_not_covered(question: str) -> None:
    assert _analysis(question).not_covered


def test_a_companys_board_is_company_law() -> None:
    question = "We hold an ICP licence. How many directors must our JV have, and who appoints the chairman?"
    assert _analysis(question).out_of_scope


@pytest.mark.parametrize(
    ("text", "penalty"),
    [
        ("we put the number on the About page, that's fine right?", False),
        ("is it fine to use a subdomain?", False),
        ("what's the fine if the number isn't there?", True),
        ("could we be fined?", True),
    ],
)
def test_fine_the_adjective_is_not_a_penalty(text: str, penalty: bool) -> None:
    from assistant.breaches import PENALTY

    assert bool(PENALTY.search(text)) is penalty


def test_the_purpose_asked_for_is_vouched_for_by_the_unit_stating_it(rules_index) -> None:
    from assistant.policy import states_asked_fact
    from ingest.citations import CitationId

    units = [CitationId.parse(u) for u in ("rules@2024#art-6", "rules@2024#art-1")]
    assert states_asked_fact(None, units, rules_index, "purpose")
    assert not states_asked_fact(None, units, rules_index, "general")
    assert not states_asked_fact(None, units[:1], rules_index, "purpose")


def test_what_a_provider_must_not_publish_is_answered_by_the_prohibition(rules_index) -> None:
    from assistant.analysis import Analyser
    from assistant.plan import make_plan
    from tests.test_plan import _docs

    ids = ["rules@2024#art-15", "rules@2024#art-14", "rules@2024#art-9"]
    question = (
        "Users post threads calling their exes liars. Is that content a provider must not publish?"
    )
    a = Analyser(rules_index).analyze(question)
    assert a.intent == "obligation"
    assert make_plan(question, a, _docs(rules_index, ids, "en"), rules_index).targets == (1,)
    # what must be done passes the prohibition to the duty
    duty = "Users post illegal threads. What must a provider do about them?"
    b = Analyser(rules_index).analyze(duty)
    ids = ["rules@2024#art-15", "rules@2024#art-16", "rules@2024#art-9"]
    assert make_plan(duty, b, _docs(rules_index, ids, "en"), rules_index).targets == (2,)


def test_a_message_of_two_questions_is_split_into_those_with_a_topic() -> None:
    from assistant.asked import questions_of

    text = "备案之前要不要先找教育主管部门？如果要，备案的时候还得多交什么材料？ right?"
    assert len(questions_of(text)) == 2


def test_a_second_question_brings_the_unit_that_answers_it(rules_index) -> None:
    from assistant.asked import unit_for_another_question
    from assistant.parts import PartMatcher
    from tests.test_plan import _docs

    parts = PartMatcher.build(rules_index.chunks)
    assert parts is not None
    ids = ["rules@2024#art-8", "rules@2024#art-5", "rules@2024#art-6"]
    docs = _docs(rules_index, ids, "zh")
    two = "我们做中小学在线辅导网站。备案之前要不要先找教育主管部门？如果要，备案的时候还得多交什么材料？"
    assert unit_for_another_question(two, docs, 1, parts) == 2
    # one question: nothing is added
    one = "备案的时候要交什么材料？"
    assert unit_for_another_question(one, docs, 1, parts) is None


@pytest.mark.parametrize(
    ("question", "refused"),
    [
        (
            "Article 12 paragraph 3 lets small sites put the number on the contact page, right?",
            True,
        ),
        ("第十四条第三款怎么规定的？", True),
        ("What does Article 7 paragraph 2 say?", False),
    ],
)
def test_a_paragraph_the_article_does_not_have_is_refused(
    rules_index, question: str, refused: bool
) -> None:
    from assistant.analysis import Analyser
    from assistant.policy import refusal

    reason = refusal(Analyser(rules_index).analyze(question), rules_index)
    assert (reason is not None and "paragraph" in reason) is refused


@pytest.mark.parametrize(
    ("question", "out"),
    [
        ("PIPL aside, did the 2012 draft say anything about selling users' personal info?", False),
        ("Apart from the Cybersecurity Law, what do the ICP rules require?", False),
        ("Under PIPL, may we sell users' personal info?", True),
        ("推文里用了“全网最佳”这种极限词，罚款标准是多少？", True),
        ("Apple says our iOS app needs the filing number. What's Apple's deadline?", True),
        ("What consent do the ICP rules require before we collect members' facial data?", True),
    ],
)
def test_another_law_set_aside_is_not_what_is_asked(question: str, out: bool) -> None:
    assert bool(_analysis(question).out_of_scope) is out


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("We'll delete it of course, but what else do the rules require of us?", "obligation"),
        (
            "Who drafted the 2012 revision of the ICP rules, and why was a revision needed?",
            "general",
        ),
        ("Our site went live without the number. Is that actually fineable?", "sanction"),
        ("备案机关会对网站怎么处理？", "sanction"),
    ],
)
def test_more_ways_of_asking(question: str, intent: str) -> None:
    assert _analysis(question).intent == intent


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # everything handed in: what the authority does next is its duty
        ("材料都齐了 通管局会怎么处理", "obligation"),
        ("材料都交了还被罚了，会怎么处理", "sanction"),
        ("没备案被通管局发现了会怎么处理", "sanction"),
    ],
)
def test_what_the_authority_does_after_everything_is_handed_in(question: str, intent: str) -> None:
    assert _analysis(question).intent == intent


def test_what_duty_asked_tersely_beside_its_sanction() -> None:
    from assistant.sanctions import asks_duty

    assert asks_duty("乡镇诊所官网首页没放备案号 这是啥义务 不放会怎样")


@pytest.mark.parametrize(
    ("question", "refused"),
    [
        ("罚款能分期交吗 去哪交", True),
        ("个人备案能不能用挂在公司名下的域名", True),
        ("电竞俱乐部app要上苹果商店 需要啥资质 要版号吗", True),
        ("we run a crypto news blog. is it legal for mainland residents to trade bitcoin", True),
        # a crypto news site's own filing is the Rules' matter
        ("crypto news blog, about to file ICP. anything we need before the filing?", False),
    ],
)
def test_more_matters_the_texts_leave_to_others(question: str, refused: bool) -> None:
    a = _analysis(question)
    assert bool(a.out_of_scope or a.not_covered) is refused


def test_the_diff_between_the_rules_and_the_draft_is_a_comparison() -> None:
    a = _analysis("log retention: current rules vs what the 2012 draft proposed, whats the diff")
    assert a.compares and a.intent == "comparison"


@pytest.mark.parametrize(
    ("turn", "said", "skips"),
    [
        ("and in the 2024 wording?", "Article 5 (2011 wording): …", True),
        # the turn before was not answered: the gate reads this one
        ("and in the 2024 wording?", "The Rules and the Explanation in this corpus do not address this.", False),
        # a turn to the draft is read by the gate (the Explanation may not speak of it)
        ("and in the 2012 draft?", "Article 5 (2011 wording): …", False),
        # a question of its own
        ("which sectors does the 2024 wording list for prior approval of online services?", "Article 5 …", False),
    ],
)  # fmt: skip
def test_a_bare_turn_to_another_wording_keeps_the_answered_provision(
    rules_index, turn: str, said: str, skips: bool
) -> None:
    from assistant.analysis import Analyser, Understood
    from assistant.pipeline import _rewords_an_answer

    a = Analyser(rules_index).analyze(turn)
    u = Understood(turn, turn, a, "which sectors did Article 5 list in 2011?", said)
    assert _rewords_an_answer(u) is skips


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # the draft revising the Rules, whichever wording it names, sets nothing against them
        ("why did they revise the ICP rules in 2012? what was wrong with the 2000 version", "general"),
        ("What did Article 5 say in 2011 compared with 2024?", "comparison"),
        ("60 days now vs the draft?", "comparison"),
    ],
)  # fmt: skip
def test_the_draft_revising_the_rules_is_not_a_comparison(question: str, intent: str) -> None:
    assert _analysis(question).intent == intent


def test_instead_leans_on_the_turn_before() -> None:
    from assistant.history import is_follow_up

    assert is_follow_up("customer now asks what the 2012 draft wanted instead")


def test_a_comparison_cites_the_other_document_only_when_it_speaks_to_the_question(
    rules_assistant,
) -> None:
    from assistant.generators.extractive import OTHER_DOCUMENT

    assert 0.0 < OTHER_DOCUMENT < 1.0
    answer = rules_assistant.ask(
        "Was the 2012 opinion-seeking version a short amendment to the 2000 Rules or a "
        "full-length text? I need its article count."
    )
    assert answer.cited_ids and all(c.startswith("explanation") for c in answer.cited_ids)

"""What a question asks for: a fact (a period, a date, a count, a cost), the regime, a duty,
a permission, a sanction, a definition, a comparison — from its wording and its analysis."""

from __future__ import annotations

import re

from assistant.breaches import PENALTY
from assistant.breaches import SANCTION as _SANCTION
from assistant.query import Analysis

_HOW_LONG = re.compile(
    r"\bhow (?:long|many (?:working |business |calendar )?(?:days|weeks|months|years))\b|\bwithin (?:what|how)|\bdeadline\b|\bperiod\b"
    r"|\bhow (?:soon|early|far in advance)\b|多长时间|多久|多少天|几天|期限|多长|提前多"
    r"|多少个?工作日|几个工作日|要等|等多久|半年|几个月|时限"
    # whether a deadline has passed: "is the bureau late?", "taking too long", 超期了吗
    r"|\b(?:is|are|was|were) (?:the |they |it |\w+ )?(?:(?!too\b)\w+ )?(?:late|overdue)\b|\btaking too long\b"
    r"|超期|超时|逾期|拖了?(?:这么|很)?(?:久|长)",
    re.I,
)
#: "How long is the draft?" asks for its size (chapters, articles), not a period.
_LENGTH_OF_TEXT = re.compile(
    r"\bhow long (?:is|was) (?:the |that |this )?(?:\d{4} )?(?:opinion-seeking )?(?:draft|document|text|version|rules)\b"
    r"|\b(?:chapters?|articles?|pages?)\b.{0,20}\b(?:in total|long)\b|\bhow many (?:chapters|articles|pages)\b",
    re.I,
)
#: Money the Rules do not set (only fines are amounts in the texts): fees, prices, capital.
_COST = re.compile(
    r"\bcosts?\b|\bfees?\b(?![- ](?:charging|based|paying|earning))|\bprices?\b|\bcheap\w*|\bexpensive\b|\bhow much (?:does|do|will|would|is)\b(?!.{0,30}\b(?:fine|penalt))"
    r"|\bregistered capital\b|\b(?:share|paid-in|minimum) capital\b|\bcapital requirement|收费标准|费用|多少钱"
    r"|(?:注册|认缴|实缴)资本|资本金|资金|价格|价钱|报价|收费(?:是|要)?多少|收多少|花多少|贵不贵|便宜",
    re.I,
)
#: Everything handed in ("材料都齐了，通管局会怎么处理", "once we've submitted the documents").
_AFTER_HANDING_IN = re.compile(
    r"(?:材料|资料)[^，。？?]{0,4}(?:都|已经|已)?(?:齐了|齐全|交齐|备齐|提交了|交了|交上去)"
    r"|(?:交齐|提交|递交)(?:材料|资料)?(?:以后|之后|后)"
    r"|\b(?:once|after) (?:we(?:'ve| have)? )?(?:submit\w*|hand\w* in|file[ds]?) (?:all |the |our )?"
    r"(?:documents|materials|paperwork)\b",
    re.I,
)
#: The definition itself asked for ("how do the Rules define …", "定义是什么").
_DEFINITION_ASKED = re.compile(
    r"\bdefin(?:e|es|ed|ition|itions)\b|(?:怎么|如何|是怎样)(?:定义|界定)|定义(?:是|为)|的定义",
    re.I,
)
#: Whether a fee may be charged: a permission, not a price.
_CHARGING = re.compile(
    r"\b(?:can|could|may|allowed to|able to|ok to)\b.{0,40}\b(?:charg\w*|bill\w*|collect\w*|paid)\b"
    r"|(?:可以|能不能|能否|可不可以|能)(?:开始)?(?:收费|收钱|付费)",
    re.I,
)
#: Asking what something costs, not whether a fee may be charged ("can we charge a fee?").
_AMOUNT_ASKED = re.compile(
    r"\bhow much\b|\bwhat(?:'s| is| are| would be) (?:the |our )?(?:\w+ )?(?:fees?|costs?|prices?)\b"
    r"|\b(?:cost|price) of\b|多少钱|收费标准|费用是多少|费用多少|要多少|价格|价钱|报价|收费(?:是|要)?多少|收多少|花多少",
    re.I,
)
#: A period asked of the authorities' decision ("how long does the licence take to come through").
_HOW_LONG_FOR_DECISION = re.compile(
    r"\b(?:decide|decision|approv\w*|review\w*|process\w*|come through)\b|审批|审核|批下来|办下来|多久能",
    re.I,
)
#: "几个" told of what was done ("做了几个页面", "这几个") is "a few", not "how many".
_HOW_MANY = re.compile(r"\bhow many\b|\bnumber of\b|多少条|(?<![了这那们第])几(?:条|个|章)", re.I)
#: Which kind a described service is ("这种算经营性还是非经营性", "does that count as
#: commercial?"): the definitions answer, whatever the description says users "可以" do.
_CLASSIFY = re.compile(
    r"算(?:是|不算)?(?:非)?经营性|属于(?:非)?经营性|(?:非)?经营性还是(?:非)?经营性"
    r"|\bcount(?:s|ed)? as (?:a |an )?(?:non-?)?commercial\b|\bcommercial or non-?commercial\b"
    r"|\bnon-?commercial or commercial\b",
    re.I,
)
#: A fee said not to be charged ("不收任何费用", "free of charge") describes the service.
_NO_FEE = re.compile(
    r"(?:不|免|没有?|无)(?:收|交|付|要)?(?:任何|一分)?(?:费用|钱)|\bno (?:fees?|costs?)\b", re.I
)
DUTY_WORDS = re.compile(r"\bdut(?:y|ies)\b|\bobligations?\b|义务|职责", re.I)
_WHEN_IN_FORCE = re.compile(
    r"\b(?:take|took|takes|taking) effect\b|\bin(?:to)? force\b|\beffective date\b|\bcommencement\b"
    r"|施行|生效",
    re.I,
)
#: A date asked for, not a period ("on what date", "the deadline", "哪天").
_DATE_ASKED = re.compile(
    r"\b(?:on )?what date\b|\bwhich (?:day|date)\b|\bdeadline\b|\bwhen (?:was|were|did|is|will) (?:it|the|that|this)\b[^?]{0,30}\b(?:adopt|enact|pass|promulgat|issu|publish|releas|approv|sign)\w*"
    r"|截止日期|截止时间|哪天|哪一天|几号|哪年|什么时候(?:通过|发布|颁布|施行|生效|出台)",
    re.I,
)
_WHEN = re.compile(
    r"\bwhen\b|\bwhat date\b|\bwhich (?:day|date)\b|\bsince when\b|\bfrom what (?:day|date)\b"
    r"|什么时候|何时|哪天|哪一天|几号|哪年",
    re.I,
)
_HOW_MUCH = re.compile(
    # "fine" the noun, not "is that fine?"
    r"\bfines\b|\bfined\b|\b(?:a|the|any|what|which|max\w*|min\w*|big|hefty|biggest|possible|potential)\s+fine\b"
    r"|\bfine (?:of|for|amount|range|is|be|would|could|will)\b|\bhow much (?:is|would|will|could|can)\b.{0,30}\b(?:fine|penalt)"
    r"|罚款|罚多少|罚金|罚几|多少钱的罚",
    re.I,
)
_REGIME = re.compile(
    r"\bwhat (?:kind of |type of )?(?:regulatory )?(?:system|regime)\b|\bwhich (?:system|regime)\b"
    r"|\b(?:do|does|would) (?:i|we|you|it|they|\w+) (?:still )?(?:need|require|have to (?:get|obtain))"
    r" (?:an? )?(?:icp )?(?:licen[cs]e|filing|bei'?an)\b"
    # a choice between the two: "ICP licence or just bei'an?", "do we need a licence or a filing"
    r"|\blicen[cs]e,? or (?:just|only|simply|merely) (?:an? )?(?:icp )?(?:filing|bei'?an|recordal)\b"
    # the choice asked on its own, or as the message's last question ("… licence or beian?")
    r"|(?:^|[.!?;。！？；]\s*)(?:an? )?(?:icp )?(?:licen[cs]e|icp证),? or (?:just |only )?(?:an? )?(?:icp )?"
    r"(?:filing|bei'?an|备案)\s*(?:\?|？|for\b)"
    r"|(?:^|[.!?;。！？；]\s*)(?:an? )?(?:icp )?(?:filing|bei'?an|备案),? or (?:an? )?(?:icp )?(?:licen[cs]e|icp证)"
    r"\s*(?:\?|？|for\b)"
    r"|\bwhich (?:one|of (?:the|them|these))\b.{0,30}\b(?:licen[cs]e|icp证|filing|bei'?an|备案)"
    r"|\b(?:need|get|require|apply for)\b[^.?]{0,20}\blicen[cs]e,? or (?:an? )?(?:icp )?"
    r"(?:filing|bei'?an)\b"
    r"|\b(?:need|get|require|apply for)\b[^.?]{0,20}\b(?:filing|bei'?an),? or (?:an? )?(?:icp )?"
    r"licen[cs]e\b"
    r"|什么制度|哪种制度|何种制度|管理制度|需要(?:办理)?(?:许可|备案|经营许可证)"
    r"|(?:要|得|需要|该)办(?:什么|哪种|哪个|啥)证|(?:要|需要)(?:什么|哪种|啥)证"
    r"|(?:要不要|需不需要|用不用|是否需要|得不得)(?:去)?(?:弄|办|申请|搞|拿)(?:那个|这个|个|一个)?(?:证|许可|ICP证|备案)"
    r"|(?:许可|ICP证|经营许可证)还是(?:办)?备案|备案还是(?:办)?(?:许可|ICP证|经营许可证)"
    r"|(?:该|要|得|需要)(?:去)?办哪(?:个|一个|种|样)"
    r"|(?:icp证|licen[cs]e)\b.{0,20}\bor is (?:just |only )?(?:an? |the )?(?:备案|filing|bei'?an)"
    r"|(?:备案|filing|bei'?an) (?:is |be )?enough\b|备案就(?:行|够|可以)"
    # a licence said to be needed, and something lesser asked about ("… or is something
    # lighter enough?")
    r"|\blicen[cs]e\b.{0,60}\bor (?:is |would )?(?:something|anything|a) (?:lighter|simpler|lesser|less)\b",
    re.I,
)
#: A draft question that also speaks of the Rules as they are compares the two.
_BOTH_SIDES = re.compile(
    r"\btoday\b|\bcurrent(?:ly)?\b|\bthe rules\b|\bnow\b|\bexisting\b|现行|目前|现在|办法"
    # "Rules vs 2012 draft", "under each", "in both"
    r"|\b(?:icp )?(?:rules|measures)\s*(?:vs\.?|versus|v\.)\s|\b(?:vs\.?|versus)\s*(?:the )?(?:icp )?(?:rules|measures)\b"
    r"|\b(?:under|in|for) (?:each|both)\b|\bboth (?:figures|numbers|periods|sides|texts)\b|两者|二者|分别",
    re.I,
)
#: … unless "the Rules" are only what the draft revises ("why revise the rules?").
_REVISING_THE_RULES = re.compile(
    r"\b(?:revis\w*|amend\w*|rewrit\w*|updat\w*) (?:of )?(?:the |these |those )?(?:2000 |existing |old |original )?(?:icp )?(?:rules|measures)\b"
    r"|\b(?:rules|measures) (?:\w+ ){0,2}(?:revis\w*|amend\w*|rewrit\w*|updat\w*)\b"
    # the revision as the drafting work ("principles for the revision", "the revision work")
    r"|\b(?:the|this|that|a) revision(?: work)?\b(?!\s+(?:of|to) (?:article|art))"
    r"|修改(?:《?办法》?)|修订(?:《?办法》?)",
    re.I,
)
_DRAFT_VS = re.compile(
    r"\bdiffer\w*|\bcompar\w*|\bthan\b|\bunlike\b|\binstead\b|\bfurther\b"
    # one text set against the other ("draft vs the Rules"), not two ideas ("development vs
    # management")
    r"|\b(?:rules|measures|draft|explanation|text|wording|today|now|current)\s*(?:vs\.?|versus)(?=\s)"
    r"|\b(?:vs\.?|versus)\s+(?:the )?(?:icp |current |existing |2000 |2011 |2024 |2012 )?"
    r"(?:rules|measures|text|wording|draft|explanation|today|now)\b"
    r"|\btoday\b|\bcurrent(?:ly)?\b|\bnow\b|\bexisting\b|\bin force\b|\balready\b"
    r"|现行|目前|现在|相比|比较|区别|不同",
    re.I,
)
_MAY = re.compile(
    r"^\s*(?:can|could|may)\b(?!\s+(?:you|u|ya)\b)|^\s*(?:are we allowed|is it (?:ok|allowed|legal))\b|\ballowed to\b"
    r"|\bis (?:that|this|it) (?:ok|okay|allowed|legal|fine)\b"
    r"|可以|能否|能不能|允许|能直接|可不可以|行不行|行吗",
    re.I,
)
MUST = re.compile(
    r"\b(?:must|need to|needs to|have to|has to|required|obliged|should|supposed to)\b|\bwhat (?:do|does|must)"
    r" \w+ (?:have to )?do\b|\bhow (?:should|do|must) (?:we|i) (?:handle|deal with|respond)\b"
    r"|需要|必须|要不要|是否要|应当|该怎么办|怎么办|怎么处理|如何处理|怎么做|得做什么|要做什么"
    r"|咋办|咋处理|咋弄|要做啥|得做啥|该做啥|干啥|(?:还|要|得|该)(?:要|得)?干(?:嘛|什么)"
    # what the Rules make a provider do ("what do the rules make us record?")
    r"|\b(?:make|makes|force|forces|oblige|obliges|require|requires) (?:us|me|them|you|providers?|sites?|platforms?) (?:to )?(?:do|keep|record|store|log|display|show|report|submit|file|delete)\b"
    # what the texts ask of a provider ("what else do the rules require of us?")
    r"|\brequire[sd]? of (?:us|me|them|providers?|sites?|platforms?)\b"
    r"|\bwhat (?:else )?(?:do|does) (?:the |these )?(?:icp )?(?:rules?|measures|law|regulations?) (?:require|want|expect)\b",
    re.I,
)
_DEFINE = re.compile(
    r"\bwhat (?:is|are|counts as)\b(?! the (?:point|purpose|aim|goal|reason|idea)\b)|\bdefin\w*|\bmean(?:s|ing)?\b|\bwhich (?:bucket|category|class)\b"
    r"|\bdifference between\b|\bhow (?:do|does|can) (?:you|we|one|i) tell\b|\bdistinguish\w*|\btell apart\b"
    r"|什么是|是指|定义|算哪一?类|属于哪一?类|怎么分(?!工)|如何区分|怎么区分|怎样区分|怎么划分|如何划分|有什么区别|什么区别|啥区别",
    re.I,
)


#: What the texts are for ("what are the Rules meant to achieve?", 立法目的).
_PURPOSE = re.compile(
    r"(?<!\bfor )\b(?:the|its|their|main|whole|legislative|stated) purposes?\b|\bmeant to (?:achieve|do|accomplish)\b|\bwhat (?:are|is) (?:the |these )?"
    r"(?:icp )?(?:rules|measures) (?:for|trying to)\b|\b(?:aims?|goals?|objectives?) of (?:the |these )?"
    r"(?:icp )?(?:rules|measures)\b|\bwhy (?:were|was|did) (?:the |these |they )?(?:icp )?(?:rules|measures)?"
    r"\s*(?:get |come to be )?(?:made|adopted|issued|formulated|enacted|introduced|written)\b"
    r"|立法目的|(?:办法|规定)的?(?:目的|宗旨)|制定.{0,8}(?:目的|宗旨)|为什么(?:要)?(?:制定|出台)",
    re.I,
)


def intent_of(question: str, a: Analysis) -> tuple[str, str | None]:
    """(intent, fact type) of a question, from its wording and its analysis."""
    # the draft revising the Rules ("why revise the 2000 rules in 2012?") sets nothing against
    # the Rules, whichever wording it names
    revising = _REVISING_THE_RULES.search(question) and not _DRAFT_VS.search(question)
    if (a.wants_versions and a.compares and not (a.wants_draft and revising)) or (
        a.wants_draft and (a.compares or _BOTH_SIDES.search(question)) and not revising
    ):
        return "comparison", None
    if a.not_covered:  # a practical matter the texts do not settle
        return "out_of_scope", "practice"
    if a.wants_draft and _DATE_ASKED.search(question) and not _HOW_LONG.search(question):
        # a date asked of the draft (adopted when, the comments' deadline): the Explanation's
        # dates, if it states one
        return "fact", "date"
    if _SANCTION.search(question) and not (
        _AFTER_HANDING_IN.search(question) and not PENALTY.search(question)
    ):
        # what the authority does once everything is handed in is its duty, not a sanction
        return "sanction", "amount" if _HOW_MUCH.search(question) else None
    charging = _CHARGING.search(question) and not _AMOUNT_ASKED.search(question)
    # a price told in passing ("a consultant says the licence costs 10k") does not make the
    # regime question a question of cost
    told = _REGIME.search(question) and not _AMOUNT_ASKED.search(question)
    costs = _COST.search(_NO_FEE.sub(" ", question))
    # "how do the Rules define commercial?" asks the definition, whatever price is told
    defines = _DEFINITION_ASKED.search(question)
    if costs and not _HOW_MUCH.search(question) and not charging and not told and not defines:
        return "fact", "cost"
    if (
        a.before_regime
        and not a.asks_penalty
        and not _HOW_MUCH.search(question)
        and not _HOW_LONG_FOR_DECISION.search(question)
    ):
        # running before the licence or filing is in place ("没备案能先试运营几天吗"): whether
        # it may, not a period
        return "permission", None
    if _LENGTH_OF_TEXT.search(question):
        return "fact", "count"
    if _WHEN_IN_FORCE.search(question) and _WHEN.search(question):
        # "when did they come into force? was there a grace period?" asks for the date first
        return "fact", "date"
    if _HOW_LONG.search(question):
        return "fact", "duration"
    if _WHEN_IN_FORCE.search(question):
        return "fact", "date"
    if _HOW_MANY.search(question):
        return "fact", "count"
    if _REGIME.search(question):
        return "regime", "regime"
    if _PURPOSE.search(question):
        return "purpose", None
    if _HOW_MUCH.search(question):
        return "sanction", "amount"
    if _CLASSIFY.search(question):
        return "definition", None
    if _MAY.search(question):
        return "permission", None
    if MUST.search(question) or DUTY_WORDS.search(question):  # "what is a provider's duty …"
        return "obligation", None
    if _DEFINE.search(question):
        return "definition", None
    return "general", None

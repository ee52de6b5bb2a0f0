"""How a question speaks of a breach: what follows one, a duty left undone, running a
service before its licence or filing is in place. Patterns only; the analysis
(``assistant.query``), the intent and the choice of a sanction read them."""

from __future__ import annotations

import re

#: What the authorities may do to a site, in users' words: a licence taken away ("证给收了",
#: "lose our licence", "get our ICP yanked"), the regulator catching or finding the breach.
LOSS = (
    r"证[^，。？?]{0,3}(?:收了|收回|收走|吊了|没了|撤了)|(?:会不会|会|可能|要)被(?:罚|关|封|吊|查处|约谈)"
    r"|\b(?:lose|losing|lost) (?:our|the|my|their) (?:\w+ )?(?:licen[cs]e|permit|filing|bei'?an|icp)\b"
    r"|\b(?:licen[cs]e|permit|icp)\w* (?:\w+ )?(?:pulled|yanked|taken away|revoked|cancell?ed)\b"
    r"|\b(?:if|when|once) (?:the |a |our |an )?(?:\w+ ){0,2}(?:bureau|regulators?|authorit(?:y|ies)"
    r"|miit|ministry|police|inspectors?|inspection)\b.{0,20}\b(?:catch\w*|finds? out|found out"
    r"|finds?|found|discover\w*|notic\w*|spot\w*)\b"
    r"|\bwhat (?:can|could|will|would|might) (?:they|the \w+(?: \w+)?) do\s*(?:then\s*)?\?*\s*$"
    # how bad it can get, once it comes out ("how bad can it get for us?", "要紧吗")
    r"|\bhow bad (?:can|could|would|will|is|might) (?:it|this|that)\b|\bif (?:that|this|it) (?:comes|gets) out\b"
    r"|要紧吗|要紧不|要不要紧|有没有事|会不会有事|有事吗|会出事|出事吗"
    # the worst that can follow, once caught ("worst case if they catch us?", "最坏什么后果")
    # how serious it is, or what it may cost once the authorities called ("is this a big deal,
    # how much could this cost us"); what the bureau does in that case
    r"|\bis (?:this|that|it) (?:a )?(?:big|huge|serious) deal\b|\bhow (?:big|serious) (?:a deal|is (?:this|that|it))\b"
    r"|\b(?:could|would|will|might|can) (?:this|that|it) cost (?:us|me|them|the company)\b"
    r"|\bwhat (?:does|do|will|would|can|could|might) (?:they|the \w+(?: \w+)?) do (?:in (?:that|this|such a) case|then|about (?:it|this|that))\b"
    r"|\bworst[- ]case\b|\bworst (?:that )?(?:can|could|might|would) happen\b|最坏|最严重的(?:后果|情况|结果)"
    r"|\bif (?:they|someone|anyone) (?:ever )?(?:catch(?:es)?|finds?|found|notices?|spots?) (?:us|me|it|out)\b"
)

#: Speaks of a penalty or a breach at all ("would X breach…" too).
PENALTY = re.compile(
    # "fine" the penalty, not "that's fine" / "is it fine"
    r"(?<!that's )(?<!it's )(?<!is )(?<!be )(?<!are )(?<!was )(?<!all )(?<!it )(?<!that )\bfine\b"
    r"|\b(?:penalt\w*|sanction\w*|fines|fined|fin(?:e)?able|punish\w*|consequences?|liab\w*|what happens if"
    r"|if (?:we|i|they|it|a provider|the provider|the site|the owner|someone) (?:don't|do not|doesn't|does not"
    r"|fail\w*|ignore\w*|refuse\w*|never|breach\w*|violat\w*)|violat\w*|breach\w*)\b"
    r"|后果|处罚|罚|违反|不履行|没按|未按|不改正|" + LOSS,
    re.IGNORECASE,
)
#: A duty left undone, in Chinese ("没保存", "不报告", "未备案").
OMITTED_ZH = (
    r"(?:没有?|未|不)(?:及时|按时|主动|马上|立即|立刻)?(?:管|上?报|删|存|保存|保留|记录|备案|申请|办|做"
    r"|履行|处理|停|公布|标明|审核|整改|改正|改|取得|登记|核验|落实|下架|屏蔽)"
    r"|拖着不改|一直不改"
)
#: Running a service before its licence or filing is in place ("can we soft launch while the
#: 备案 is pending?", "备案号没拿到，可以提前开放吗"): what forbids operating without either.
_REGIME_WORD = re.compile(r"licen[cs]|\bfiling\b|bei'?an|\bICP\b|备案|许可|ICP证|经营许可", re.I)
_OPERATE = (
    r"(?:launch\w*|go(?:es|ing)? live|go(?:es|ing)? online|go(?:es|ing)? public|open\w*|start\w*"
    r"|run\w*|operat\w*|publish\w*|be live|be online|live|online)"
)
_REGIME = r"(?:licen[cs]e|filing|bei'?an|备案|ICP证|ICP number|paperwork)"
_BEFORE_REGIME = re.compile(
    "|".join(
        [
            # the licence or filing not in place yet, and running asked about
            _REGIME + r"\w*\s*(?:hasn't|has not|isn't|is not|won't|will not|still|not yet"
            r"|is still|pending)\b.{0,80}\b" + _OPERATE + r"\b",
            # running before it is done
            r"\b"
            + _OPERATE
            + r"\b.{0,60}\b(?:before|until) (?:the |our |its |a |an )?(?:icp )?"
            + _REGIME
            + r"\w*(?: formalities)? (?:is|are|has|have|comes?|gets?)\b",
            # running without it
            r"\b"
            + _OPERATE
            + r"\b.{0,40}\bwithout (?:the |our |its |a |an |any )?(?:icp )?"
            + _REGIME,
            # running first, the licence or filing later
            r"\b"
            + _OPERATE
            + r"\b.{0,30}\b(?:first|now)\b.{0,60}"
            + _REGIME
            + r".{0,40}\b(?:later|afterwards)\b",
            # 备案号没拿到…提前开放, 证和备案都还没弄好，能先上线
            r"(?:备案|许可|证|备案号)[^。？?]{0,12}(?:没|未|还在|还没)[^。？?]{0,16}"
            r"(?:上线|开放|运营|开通|开站|营业|上架|运行)",
            # 没备案能不能先上线, 不办证先试运营
            r"(?:没|未|不|还没)(?:有|办|拿到|下来)?(?:备案|许可证?|ICP证|证)[^。？?]{0,12}"
            r"(?:先|提前)?(?:上线|开放|试?运营|开通|开站|营业|上架|运行)",
        ]
    ),
    re.I,
)


def operates_before_regime(text: str) -> bool:
    """Whether the question asks about running before the licence or filing is in place."""
    return bool(_REGIME_WORD.search(text) and _BEFORE_REGIME.search(text))


#: Asks what follows a breach (stricter than PENALTY, which also takes "would X breach…").
SANCTION = re.compile(
    r"\bpenalt(?:y|ies)\b|\bsanctions?\b|\bpunish\w*|\bconsequences?\b|\bliab\w*|\bfin(?:e)?able\b"
    r"|\bwhat happens\b|\b(?:and )?(?:if|when) (?:we|i|it|they|the \w+|a \w+) (?:just |simply |then )?"
    # an act first, then the omission ("if we just delete it quietly and never report it")
    r"(?:\w+ (?:it |them |this |that )?(?:quietly |silently )?(?:and|but) )?(?:don't|do not|"
    r"doesn't|does not|didn't|did not|fail\w*|forg[eo]t\w*|neglect\w*|ignore\w*|refuse\w*|never|skip\w*|"
    r"breach\w*|violat\w*|just leave)\b"
    r"|\bwhat (?:can|could|will|would|may|might|does|do|did) (?:they|\w+|(?:the|a|our) [\w -]{1,30}?)"
    r" (?:actually |really |legally )?do (?:to|about) (?:us|me|them|it|(?:the|our|a|my) \w+)\b"
    r"|\bwhat (?:can|could|will|would|may|might) happen (?:to|with) (?:us|me|them|it|(?:the|our|my) \w+)"
    r"|\b(?:if|when) (?:we|i|they|you|it) (?:just |simply |still |already )?(?:go live|launch|operate"
    r"|run|open|start|do (?:it|that|so)|go ahead|carry on|keep (?:running|operating))\b.{0,40}\bwithout (?:a |an |the |any |our )?"
    r"(?:licen[cs]e|permit|filing|bei'?an|approval|consent|registration|one|it)\b"
    r"|\bif (?:we|i|they|you) (?:just |simply |still )?(?:do|go ahead with|launch|run|open|start)"
    r" (?:it |that |this )?anyway\b"
    r"|\b(?:get|be|being) (?:fined|punished|shut down|closed down)\b"
    r"|\b(?:how much|what|what kind of|are we in|be in|get (?:us|me|them) (?:in|into)) trouble\b"
    r"|\bwhat(?:'s| is| are) (?:the |our )?(?:risks?|exposure)\b.{0,30}\bif\b"
    r"|\bwhat(?:'s| is| are) (?:the |our )?(?:legal |regulatory )?exposure\b"
    r"|后果|处罚|罚|追究|不履行|没按|未按|不改正|会怎样|会怎么样|有什么风险|麻烦大"
    r"|会咋样|会咋办|啥后果|什么下场|会被怎么|会被咋|会(?:怎么|如何|怎样|咋)处理(?:这个|这家|我们|该)?(?:网站|平台|公司)"
    r"|(?:机关|部门|通管局|管局|监管)(?:还|又)?会(?:对[^，。？?]{0,6})?(?:怎么|如何|怎样|咋)(?:办|处理|处置)|封站|封网站|关站|吊销"
    # caught, and what then ("被查到会怎么处理"); what is done to such a person ("对这种人怎么处理")
    r"|(?:被|让人|给)[^，。？?]{0,6}?(?:查到|查出|发现|抓到|举报)了?[^，。？?]{0,4}(?:会|要|该)?(?:怎么|如何|怎样|咋)(?:处理|处置|办|样)"
    r"|对(?:这种|这类|这些|此类|这样的|该|这个|这名|这位)(?:人|工作人员|官员|行为|做法|情况)[^，。？?]{0,4}"
    r"(?:怎么|如何|怎样|咋)(?:处理|处置|处罚|追究)"
    # what becomes of a licence, a filing or the site ("对经营许可证会有什么影响")
    r"|(?:许可证|执照|备案号?|网站|平台)(?:会|将)?(?:有|受到)(?:什么|啥|哪些)影响|"
    + LOSS
    +
    # a duty left undone, asked as a condition ("要是我们没管也没报告呢？")
    r"|(?:要是|如果|假如|万一|若是?)[^，。？?]{0,8}"
    + OMITTED_ZH
    + r"[^。？?]{0,16}(?:呢|怎么办|会怎)",
    re.I,
)

#: Speaks of leaving something undone ("if we don't", "不做", "没有报告").
_OMISSION = re.compile(
    r"\b(?:don't|do not|doesn't|does not|didn't|did not|fail\w*|forg[eo]t\w*|neglect\w*"
    r"|ignor\w*|refus\w*|never|without|left (?:it|them|the \w+) (?:up|online|there)"
    r"|no (?:takedown|take-down|report\w*|record\w*))\b"
    r"|不做|不履行|没有?做|没按|未按|不改正|不管|不处理|不报告|不删|没删|没报|" + OMITTED_ZH,
    re.IGNORECASE,
)


def omits(question: str) -> bool:
    """Whether the question speaks of leaving something undone ("if we don't", "没上报")."""
    return bool(_OMISSION.search(question))

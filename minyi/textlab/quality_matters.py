"""一事一报 for the writing assistant: does a draft bundle several unrelated matters?

Items are what the situation enumerates (一是……二是……, （一）（二）, 1. 2.) or juxtaposes
(另外/此外/同时反映 + the sentence before). Two items are different matters when they
share no content word (from the segmenter) AND belong to different topics: their main
topic families from a lexicon of 社情民意 subjects differ, or, when a classifier is
given, it files them under different categories with confidence. Items of one matter
(causes, aspects, places of the same problem) share words such as "供水工程" or "机构",
which is what keeps the check quiet on them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from minyi.textlab.segment import segment

__all__ = ["TOPIC_LEXICON", "Item", "distinct_items", "enumerated_items"]

#: Subject families of 社情民意 work and words that mark them. General, not tuned to a text.
TOPIC_LEXICON: dict[str, tuple[str, ...]] = {
    "交通": ("交通", "道路", "公路", "路口", "红绿灯", "信号灯", "拥堵", "停车", "车位", "公交",
             "地铁", "出租车", "网约车", "客运", "班线", "班次", "汽车站", "火车站", "高铁", "交警",
             "单车", "电动车", "桥", "隧道", "斑马线", "过街", "驾驶", "车辆", "通行", "购票",
             "司机"),
    "教育": ("学校", "小学", "中学", "幼儿园", "入园", "学位", "教师", "老师", "课堂", "作业",
             "课后服务", "招生", "班额", "校园", "教育", "上学", "返校", "学期", "中小学", "校服",
             "兴趣课"),
    "医疗": ("医院", "卫生院", "诊所", "医生", "医师", "护士", "就诊", "看病", "患者", "药品",
             "用药", "医保", "疫苗", "体检", "产检", "B超", "卫健", "家庭医生", "疾控", "影像",
             "药店", "购药", "开药", "慢性病"),
    "养老": ("养老", "老年人", "老人", "独居", "空巢", "敬老院", "护理", "助餐", "日间照料",
             "失能", "高龄", "老龄"),
    "食品": ("食品", "餐饮", "食堂", "餐费", "饭菜", "零食", "冷链", "变质", "活禽",
             "宰杀", "菜品", "食材"),
    "环境": ("污染", "污水", "排污", "垃圾", "填埋", "渗滤液", "臭", "噪音", "噪声", "扬尘",
             "废气", "废水", "黑臭", "环保", "生态环境", "焚烧", "异味"),
    "住房": ("物业", "业主", "住房", "租房", "房租", "租金", "电梯", "房屋", "危房", "宅基地",
             "建房", "拆迁", "楼栋", "车库", "商品房", "老旧小区"),
    "市容": ("摊贩", "占道", "摊位", "广告", "店招", "违章搭建", "违建", "城管", "公厕", "市容",
             "井盖", "早市"),
    "农业": ("种植", "果农", "柑橘", "农产品", "养殖", "耕地", "农田", "灌溉", "庄稼", "粮食",
             "农资", "滞销", "收购价", "合作社", "冷库", "亩"),
    "就业": ("就业", "招聘", "岗位", "工资", "欠薪", "社保", "失业", "务工", "用工", "招工",
             "灵活就业", "劳动", "骑手", "外卖", "抽成"),
    "消防": ("消防", "火灾", "烟感", "灭火", "燃气", "报警器"),
    "安全生产": ("安全生产", "化工", "危化", "危险化学品", "储罐", "矿山", "煤矿", "尾矿", "工地",
                 "施工", "厂房", "车间", "爆炸", "粉尘", "特种设备", "应急管理", "安全监管"),
    "文旅": ("景区", "游客", "旅游", "KTV", "网吧", "娱乐场所", "图书馆", "博物馆", "演出", "文化"),
    "供水": ("供水", "自来水", "饮水", "水压", "停水", "水库", "河道", "防汛", "山洪", "排水",
             "内涝", "雨水"),
    "消费": ("价格", "收费", "商户", "商铺", "消费者", "电商", "直播", "网购", "票据"),
    "物流": ("快递", "寄递", "物流", "包裹", "取件", "寄件", "寄出", "代收", "运费", "驿站"),
    "治安": ("诈骗", "盗窃", "治安", "犯罪", "赌博", "派出所", "未成年人"),
    "政务": ("审批", "政务", "办事", "证明", "窗口", "数据共享", "批准书", "办结"),
    "救助": ("残疾人", "低保", "救助", "残联", "辅助器具", "特困", "留守儿童", "溺水"),
}  # fmt: skip
#: Words every matter uses; sharing them says nothing about being one matter.
_GENERIC = frozenset(
    str.split(
        # Nouns of every matter.
        "问题 情况 部分 方面 群众 居民 市民 我们 他们 工作 部门 单位 意见 建议 设施 设备 时间 期间 "
        "时段 每天 附近 周边 当地 安全 隐患 困难 情绪 要求 其中 今年 去年 近期 目前 至今 "
        # Verbs, adverbs and connectives any sentence may use.
        "反映 存在 进行 没有 出现 影响 发现 了解 走访 调研 比较 相关 有关 已经 可能 需要 导致 主要 "
        "以上 超过 左右 担心 不便 缺少 缺乏 只有 因此 不足 不够 难以 无法 不能 还有 仍然 仍有 一直 "
        "由于 因为 但是 而且 并且 同时 另外 此外 以及 其他 所有 较多 较少 增加 减少 一些 不少 "
        "很多 较大 严重 "
        "一是 二是 三是 四是 五是 六是 七是 八是 "
        # Kinds of place: the frame of a matter, not its subject ("小区停车" vs "小区电梯").
        "小区 社区 街道 乡镇 村里 农村 城区 县城 市区 城市 全市 全县 全区 我市 本市"
    )
)
_ENUM_INLINE = re.compile(r"(?:[一二三四五六七八九十]是|第[一二三四五六七八九十][，、,])")
# Markers of a list written in one paragraph, after a colon or the previous item's "；"
# ("……主要有：（一）……；（二）……", "1. ……；2. ……"). The same markers open a line elsewhere.
_ENUM_RUN_ON = re.compile(
    r"(?<=[：:；;。])[ \t\u3000]*"  # not across a line: a marker opening a line is _ENUM_LINE's
    r"(?:[（(][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}\s*[.．、](?!\d)|[①②③④⑤⑥⑦⑧⑨])"
)
_ENUM_LINE = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}\s*[.．、](?!\d)|[①②③④⑤⑥⑦⑧⑨])"
)
_JUXTAPOSED = re.compile(
    r"(?:^|[。；！？\n])\s*(另外|此外|同时反映|还有一个问题|另一个问题|顺便反映)"
)
_SOURCE_CLAUSE = re.compile(
    r"^\s*(?:据|根据|经过?|通过)|^\s*我们|(?:统计|调查|走访|暗访|了解|调研|座谈)(?:发现|显示|得知)?$"
)
_CLAUSE_END = re.compile(r"[，。；：！？,;\n]")
MIN_ITEM_CHARS = 8
LABEL_CHARS = 20


@dataclass(frozen=True)
class Item:
    text: str
    start: int
    end: int

    def label(self) -> str:
        """The item's first clause, cut at a word boundary: how the finding names it."""
        body = _ENUM_INLINE.sub("", self.text, count=1)
        body = _ENUM_LINE.sub("", body, count=1).lstrip("，、 ")
        for marker in ("另外", "此外", "同时反映"):
            body = body.removeprefix(marker).lstrip("，、 ")
        clauses = [c for c in _CLAUSE_END.split(body) if c.strip()]
        # Skip an opening time or frame ("近期，") for the clause that says what happened.
        # and a source ("据市住建局统计", "我们对……进行了暗访"): they name no matter.
        clause = next(
            (c for c in clauses if len(c) >= 6 and not _SOURCE_CLAUSE.search(c)),
            clauses[0] if clauses else "",
        )
        out = ""
        for word in segment(clause):
            if len(out) + len(word) > LABEL_CHARS:
                return out + "……"
            out += word
        return out


def _split_at(text: str, starts: list[int]) -> list[Item]:
    bounds = [*starts, len(text)]
    items = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        chunk = text[a:b]
        # An inline enumeration ends with its paragraph.
        para = chunk.find("\n")
        if para > 0:
            chunk, b = chunk[:para], a + para
        if len(chunk.strip()) >= MIN_ITEM_CHARS:
            items.append(Item(chunk.strip(), a, b))
    return items


def enumerated_items(text: str) -> list[tuple[bool, list[Item]]]:
    """Groups of items in ``text``, each in order, with whether it is juxtaposed (另外……).

    "另外/此外" is the author saying "one more thing"; an enumeration may as well list
    the aspects of one event (房屋进水、道路塌方、学校停课).
    """
    groups: list[tuple[bool, list[Item]]] = []
    for pattern in (_ENUM_INLINE, _ENUM_RUN_ON):
        inline = [m.start() for m in pattern.finditer(text)]
        if len(inline) >= 2:
            groups.append((False, _split_at(text, inline)))
    lines = [m.start() for m in re.finditer(r"^.*$", text, re.M) if _ENUM_LINE.match(m.group())]
    if len(lines) >= 2:
        groups.append((False, _split_at(text, lines)))
    for m in _JUXTAPOSED.finditer(text):
        start = m.start(1)
        before = max(text.rfind("\n", 0, start), text.rfind("。", 0, max(0, start - 1)))
        head = text.rfind("\n", 0, max(0, before)) + 1
        groups.append((True, _split_at(text, [head, start])))
    return [(juxtaposed, g) for juxtaposed, g in groups if len(g) >= 2]


# A named place or body of its own: "东山村", "桃园镇中心小学", "市第一人民医院", "滨江路".
_NAMED_PLACE = re.compile(
    r"(?:(?![是的在和与了从到对向及等个里其为被把将也都还就])[\u4e00-\u9fa5A-Za-z0-9]){1,8}?"
    r"(?:省|市|县|区|镇|乡|村|街道|社区|小区|路|街|巷|大道|公园|小学|中学|学校|幼儿园|医院|卫生院|"
    r"服务中心|市场|车站|汽车站|火车站|园区|广场|景区|水库|大桥)(?![场民政容级委直属里内外面值貌长])"
)
# Words ending like a place that name none ("全村", "城区", "农村").
_NOT_NAMED = re.compile(
    r"^(?:全|本|该|各|我|每|所在|当地|周边|附近|部分|一些|多个|城|农|乡|郊|山|辖|市|县|城中|通)"
    r"(?:省|市|县|区|镇|乡|村|街道|社区|小区|路|街|村里)$|^(?:城市|超市|都市|城区|市区|社区|小区|农村|"
    r"乡村|城乡|山区|郊区|辖区|园区|景区|学校|医院|市场|马路|道路|公路|街道)$"
)


def _names_place(text: str) -> bool:
    return any(not _NOT_NAMED.match(m.group(0)) for m in _NAMED_PLACE.finditer(text))


# A city, county or district is the frame of many matters, like "小区"; a village or a
# named estate is specific enough to tie two items to one matter.
_FRAME_SUFFIXES = frozenset("省市县区")


def _content_words(text: str) -> set[str]:
    words = segment(text)
    # "临江区" comes out as "临江" + "区": the stem of a frame place is a frame too.
    frames = {w for w, nxt in zip(words, words[1:], strict=False) if nxt in _FRAME_SUFFIXES}
    return {
        w
        for w in words
        if len(w) >= 2
        and not w.isdigit()
        and w not in _GENERIC
        and w not in frames
        and w[-1] not in _FRAME_SUFFIXES
    }


def _family_counts(text: str) -> Counter[str]:
    return Counter(
        {name: sum(text.count(w) for w in words) for name, words in TOPIC_LEXICON.items()}
    )


def _families(text: str) -> set[str]:
    counts = _family_counts(text)
    top = max(counts.values(), default=0)
    return {name for name, n in counts.items() if n == top} if top else set()


#: Lexicon hits that make an item's topic unmistakable ("电梯……楼栋……电梯" is 住房).
STRONG_HITS = 2


def _strong_topic(text: str) -> bool:
    return max(_family_counts(text).values(), default=0) >= STRONG_HITS


Classifier = Callable[[Sequence[str]], Sequence[str | None]]


def _topics(items: list[Item], classifier: Classifier | None) -> list[set[str]]:
    topics = [_families(i.text) for i in items]
    if classifier is not None:
        labels = classifier([i.text for i in items])
        topics = [
            t or ({f"分类:{lab}"} if lab else set()) for t, lab in zip(topics, labels, strict=True)
        ]
    return topics


def _distinct(a: tuple[set[str], set[str]], b: tuple[set[str], set[str]]) -> bool:
    (words_a, topic_a), (words_b, topic_b) = a, b
    return bool(topic_a and topic_b) and not (topic_a & topic_b) and not (words_a & words_b)


def _find(root: list[int], n: int) -> int:
    while root[n] != n:
        n = root[n]
    return n


def _components(keys: list[tuple[set[str], set[str]]], bridged: list[int]) -> list[list[int]]:
    root = list(range(len(keys)))
    for n in bridged[1:]:
        root[_find(root, n)] = _find(root, bridged[0])
    for x in range(len(keys)):
        for y in range(x + 1, len(keys)):
            if not _distinct(keys[x], keys[y]):
                root[_find(root, y)] = _find(root, x)
    parts: dict[int, list[int]] = {}
    for n in range(len(keys)):
        parts.setdefault(_find(root, n), []).append(n)
    return sorted(parts.values())


# A lead that lists the effects or signs of ONE event or problem: "暴雨带来的影响主要有：",
# "具体表现为：". What follows are its aspects, however different their sectors.
_ASPECT_LEAD = re.compile(
    r"(?:带来|造成|产生|引发|导致)的?(?:影响|损失|后果|危害)|影响(?:主要)?(?:有|是|包括|表现)|"
    r"表现为|表现在|体现在|具体(?:表现|来看)|受灾|灾情|损失(?:主要)?(?:有|是|包括)"
)


def _lead(text: str, start: int) -> str:
    """The sentence that introduces an enumeration starting at ``start``."""
    head = max(text.rfind(mark, 0, start) for mark in "\n。！？") + 1
    return text[head:start]


# A title that announces several things ("关于群众反映的几个问题的情况").
_COLLECTIVE_TITLE = re.compile(
    r"[几若多两三四五六七八九十][个项件点类方面]|若干|一些|等问题|等方面|诉求|呼声|民生问题|突出问题"
)


def _counts_as_matter(
    item: Item, topic: set[str], classifier: Classifier | None, *, by_topic: bool
) -> bool:
    """An item of an enumeration that stands as a matter of its own, not an aspect.

    It names a place or body of its own ("东山村", "实验小学"), or, when ``by_topic``,
    its topic is unmistakable: several words of one topic family, or a classifier's
    confident label. Topic alone is trusted only under a title that names no subject
    or announces several: under "关于老旧小区改造的建议" 电梯、停车、管网 are its aspects.
    """
    if _names_place(item.text):
        return True
    if not by_topic:
        return False
    if _strong_topic(item.text):
        return True
    return classifier is not None and any(t.startswith("分类:") for t in topic)


def distinct_items(
    text: str, classifier: Classifier | None = None, *, title: str = ""
) -> list[Item]:
    """One item per distinct matter in the first group that holds two or more, or [].

    Items are linked when they share a content word or a topic (or one has no known
    topic); a group holds several matters only when the links leave it in pieces, so a
    single item bridging two others keeps them one matter. An enumeration also needs
    two of its pieces to stand as matters (a place or body of their own, or an
    unmistakable topic) and no lead announcing the aspects of one event ("暴雨带来的
    影响主要有："); every piece is then named, including weaker ones. Items on the
    topic the ``title`` names are aspects of that one matter ("寄递物流": 快递进村、运费).
    """
    subject = _families(title)
    by_topic = not subject or bool(_COLLECTIVE_TITLE.search(title))
    for juxtaposed, group in enumerated_items(text):
        if not juxtaposed and _ASPECT_LEAD.search(_lead(text, group[0].start)):
            continue
        words = [_content_words(i.text) for i in group]
        topics = _topics(group, classifier)
        bridged = [n for n, i in enumerate(group) if subject & _families(i.text)]
        parts = _components(list(zip(words, topics, strict=True)), bridged)
        if not juxtaposed:
            standing = [
                p for p in parts
                if any(
                    _counts_as_matter(group[n], topics[n], classifier, by_topic=by_topic)
                    for n in p
                )
            ]  # fmt: skip
            if len(standing) < 2:
                continue
        if len(parts) >= 2:
            return [group[p[0]] for p in parts]
    return []

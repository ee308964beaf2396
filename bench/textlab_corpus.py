"""Deterministic synthetic 社情民意 corpus for the textlab benchmarks (seeded, no real data)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

PLACES = ["青石", "红星", "白沙", "东湖", "西山", "南岭", "北港", "金桥", "银河", "翠竹"]
UNITS = ["小区", "社区", "村", "街道", "镇", "学校", "医院", "菜市场", "公园", "工业园"]
TOPICS = {
    "城乡建设": ["加装电梯审批难", "道路坑洼积水", "违章建筑占道", "路灯长期不亮", "排水管网堵塞"],
    "教育文体": ["学位不足入学难", "违规补课收费", "校车安全隐患", "食堂饭菜质量差"],
    "卫生计生": ["看病排队时间长", "医保报销手续繁", "乡村医生待遇低", "药品价格偏高"],
    "环境保护": ["搅拌站粉尘污染", "餐馆油烟扰民", "夜间施工噪音", "河道垃圾漂浮"],
    "交通运输": ["公交线路调整不便", "红绿灯设置不合理", "出租车拒载绕路", "停车位严重不足"],
}
# Common characters; bodies are random phrases of them so unrelated reports stay
# dissimilar (shared boilerplate would make every report a near-duplicate candidate).
CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数"
)


@dataclass(frozen=True)
class Report:
    id: str
    title: str
    body: str
    label: str
    time: datetime
    author: str


def make_corpus(n: int, seed: int = 42, dup_rate: float = 0.02) -> tuple[list[Report], set]:
    """Return n reports and the set of planted near-duplicate id pairs (edited copies)."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1)
    reports: list[Report] = []
    planted: set[tuple[str, str]] = set()
    labels = sorted(TOPICS)
    while len(reports) < n:
        if reports and rng.random() < dup_rate:
            src = reports[rng.randrange(len(reports))]
            body = list(src.body)
            for _ in range(max(1, len(body) // 60)):  # ~2% substitutions: J stays >= 0.8
                body[rng.randrange(len(body))] = rng.choice("的了是在有")
            rid = f"r{len(reports)}"
            reports.append(Report(rid, src.title, "".join(body), src.label, src.time, "dup"))
            planted.add((src.id, rid))
            continue
        label = rng.choice(labels)
        issue = rng.choice(TOPICS[label])
        place = rng.choice(PLACES) + rng.choice(UNITS)
        detail = f"{place}{issue}，编号{rng.randrange(10**6)}，已有{rng.randrange(2, 500)}人联名。"
        words = ["".join(rng.choices(CHARS, k=rng.randrange(2, 4))) for _ in range(60)]
        body = detail + "，".join(words) + "。"
        when = start + timedelta(minutes=rng.randrange(60 * 24 * 365))
        reports.append(Report(f"r{len(reports)}", f"关于{place}{issue}的问题", body, label, when,
                              f"u{rng.randrange(n // 3 + 1)}"))  # fmt: skip
    return reports, planted


# --- Topic corpus: many reports on the same matter, phrased differently -----------------
#
# A "matter" is one issue at one named place (an estate, a road, a school...). Reports on
# it share the place name and the issue's vocabulary but pick their own title form,
# paraphrase, details and personal circumstances, the way real petitions do. Matter sizes
# are heavy-tailed (most matters have one report, a few have hundreds) and a few matters
# burst in the last weeks, so the top of the ranking is decided by real topic structure.

ISSUES: dict[str, tuple[list[str], list[str]]] = {
    "加装电梯": (
        ["加装电梯审批难", "电梯加装手续办不下来", "老旧楼栋加装电梯申请被卡"],
        [
            "楼里住的多是老人，上下楼十分困难",
            "加装电梯的意见征集早已完成，审批却迟迟没有结果",
            "住建部门说还要补材料，居民来回跑了多次",
        ],
    ),
    "道路积水": (
        ["道路坑洼积水", "路面破损下雨积水", "门前道路年久失修"],
        [
            "一下雨路面就积水，行人只能绕行",
            "路面坑洼不平，电动车经常摔倒",
            "多次反映后只是简单填补，很快又坏了",
        ],
    ),
    "违章建筑": (
        ["违章建筑占道", "私搭乱建侵占公共通道", "违建堵塞消防通道"],
        [
            "有住户在楼下搭建棚子，占用了消防通道",
            "城管来看过一次，之后再无下文",
            "违建越搭越多，居民出行受阻",
        ],
    ),
    "路灯": (
        ["路灯长期不亮", "路灯坏了无人修", "夜间道路没有照明"],
        [
            "晚上一片漆黑，老人小孩出行不安全",
            "路灯坏了大半年，报修电话打了很多次",
            "附近已经发生过几起摔伤事故",
        ],
    ),
    "排水": (
        ["排水管网堵塞", "下水道堵塞污水外溢", "雨污管道不通"],
        [
            "污水从井盖冒出来，气味难闻",
            "一到雨季就污水横流，一楼住户家中进水",
            "物业说管网归市政管，市政说归物业管",
        ],
    ),
    "学位": (
        ["学位不足入学难", "孩子就近入学没有学位", "片区学校招生名额太少"],
        [
            "小区交房后配套学校一直没有建成",
            "孩子只能到很远的学校上学，每天接送困难",
            "教育局答复学位紧张，但没有解决办法",
        ],
    ),
    "补课": (
        ["违规补课收费", "学校周末强制补课", "老师课外有偿补课"],
        [
            "学校要求学生周末到校补课，每人收费几百元",
            "不参加补课的学生被老师点名批评",
            "家长不敢公开反映，怕孩子受影响",
        ],
    ),
    "校车": (
        ["校车安全隐患", "接送学生车辆超载", "校车车况差"],
        [
            "接送学生的面包车严重超载",
            "车辆没有校车标志，司机也没有资质",
            "每天看着孩子挤在车里，家长非常担心",
        ],
    ),
    "看病排队": (
        ["看病排队时间长", "挂号难排队久", "医院就诊等候太久"],
        [
            "早上六点去排队，到中午还没看上病",
            "挂号窗口开得太少，自助机经常故障",
            "老人和病人站着排队，身体吃不消",
        ],
    ),
    "医保报销": (
        ["医保报销手续繁", "异地就医报销难", "医保报销材料太多"],
        [
            "报销要跑好几个窗口，材料来回退回",
            "住院费用垫付后几个月还没报下来",
            "工作人员说法不一，群众无所适从",
        ],
    ),
    "粉尘": (
        ["搅拌站粉尘污染", "混凝土搅拌站灰尘扰民", "砂石场扬尘严重"],
        [
            "搅拌站紧挨着居民楼，窗户一开全是灰",
            "大型车辆进出频繁，路面泥土飞扬",
            "孩子经常咳嗽，居民担心健康",
        ],
    ),
    "油烟": (
        ["餐馆油烟扰民", "临街门面油烟直排", "烧烤店油烟噪音扰民"],
        [
            "餐馆没有安装油烟净化设备，油烟直接排到楼上",
            "每天从中午到深夜都是油烟味，窗户不敢开",
            "向环保部门反映后仍未整改",
        ],
    ),
    "噪音": (
        ["夜间施工噪音", "工地深夜施工扰民", "半夜施工吵得无法入睡"],
        [
            "工地每天晚上施工到凌晨两三点",
            "打桩声音很大，老人孩子无法休息",
            "打了投诉电话，施工只停了一晚",
        ],
    ),
    "河道": (
        ["河道垃圾漂浮", "河道污染发臭", "河里垃圾无人清理"],
        ["河面上漂满了塑料袋和生活垃圾", "夏天河水发黑发臭，蚊虫很多", "河长公示牌上的电话打不通"],
    ),
    "公交": (
        ["公交线路调整不便", "公交线路取消出行难", "公交班次太少"],
        [
            "线路调整后附近居民要走很远才能坐车",
            "等一趟车要四十分钟，上班经常迟到",
            "希望恢复原来的线路或增加班次",
        ],
    ),
    "红绿灯": (
        ["红绿灯设置不合理", "路口信号灯时间太短", "路口没有红绿灯"],
        [
            "绿灯时间太短，老人过马路走不到一半就变灯",
            "路口车流量大，没有信号灯十分危险",
            "早晚高峰这个路口经常堵车",
        ],
    ),
    "停车": (
        ["停车位严重不足", "小区停车难", "车位只售不租"],
        [
            "小区车位远远不够，车辆只能停在路边",
            "开发商车位只卖不租，价格很高",
            "消防通道也被车辆占满",
        ],
    ),
    "车位捆绑": (
        ["捆绑销售车位", "强制购买车位才能收房", "开发商捆绑销售车位"],
        [
            "开发商要求业主必须购买车位才给办理交房",
            "车位价格远高于周边楼盘",
            "业主多次和开发商协商无果",
        ],
    ),
    "拖欠工资": (
        ["拖欠农民工工资", "工程款拖欠工人工资", "年底工资拿不到"],
        [
            "工地老板拖欠几十名工人的工资已经半年",
            "劳动监察部门让我们等，可是年关将近",
            "工人家里等着这笔钱过年",
        ],
    ),
    "物业": (
        ["物业服务差乱收费", "物业费上涨服务不到位", "物业不作为"],
        ["物业费年年涨，小区卫生却越来越差", "电梯坏了好几天没人修", "业主委员会迟迟成立不了"],
    ),
}
# Most matters are some object with some problem: 12 x 8 more issue types, each sharing
# only its two key words with the others, as real issue types do.
OBJECTS = [
    "电梯",
    "路灯",
    "下水道",
    "公交站",
    "菜市场",
    "垃圾站",
    "停车场",
    "健身器材",
    "消防通道",
    "围墙",
    "人行道",
    "绿化带",
]
PROBLEMS = [
    "损坏无人修",
    "被长期占用",
    "噪音扰民",
    "收费不合理",
    "长期闲置",
    "存在安全隐患",
    "脏乱差",
    "规划不合理",
]
ISSUE_BANK: dict[str, tuple[str, list[str], list[str]]] = {
    **{key: (key, paraphrases, details) for key, (paraphrases, details) in ISSUES.items()},
    **{o + p: (o, [o + p], []) for o in OBJECTS for p in PROBLEMS},
}
NAME_HEADS = [
    "锦绣",
    "阳光",
    "金色",
    "碧水",
    "龙湖",
    "翡翠",
    "星城",
    "御景",
    "枫林",
    "桂花",
    "松柏",
    "海棠",
    "紫薇",
    "梧桐",
    "青山",
    "明珠",
    "华府",
    "嘉禾",
    "幸福",
    "和平",
    "长江",
    "黄河",
    "凤凰",
    "麓谷",
    "芙蓉",
    "湘江",
    "雨花",
    "天心",
    "望城",
    "岳麓",
    "开福",
    "洞井",
    "星沙",
    "暮云",
    "坪塘",
    "含浦",
    "黎托",
    "洪山",
    "月湖",
    "梅溪",
]
NAME_TAILS = [
    "花园",
    "家园",
    "新城",
    "苑",
    "公馆",
    "名都",
    "雅居",
    "新村",
    "山庄",
    "路",
    "中学",
    "小学",
]
TITLE_FORMS = [
    "关于{where}{issue}的问题",
    "{where}{issue}，何时能解决？",
    "投诉{where}{issue}",
    "{where}{issue}问题请重视",
    "请求解决{where}{issue}",
    "{where}{issue}",
    "反映{where}{issue}",
]
PARTIES = [
    a + b
    for a in ["鑫达", "宏远", "恒通", "华泰", "盛世", "金鼎", "永兴", "瑞丰", "天润", "德信"]
    for b in ["建材公司", "物业公司", "置业公司", "餐饮店", "施工队", "劳务公司"]
]
# Each author's own circumstances: many combinations, so two reports on the same matter
# share the matter's words but not much else (real same-matter cosine is about 0.2-0.4).
WHO = [
    "我母亲",
    "我家孩子",
    "隔壁邻居",
    "楼上住户",
    "几位老人",
    "我爱人",
    "小区保安",
    "外卖师傅",
    "我的同事",
    "业主群里的人",
    "附近商户",
    "学生家长",
]
WHEN = [
    "上周",
    "前天晚上",
    "去年冬天",
    "每天早上",
    "周末",
    "国庆期间",
    "上个月",
    "今年春节",
    "昨天",
]
DID = [
    "打了市长热线",
    "去社区问过",
    "找过街道办",
    "在网上留言",
    "拨打过12345",
    "向物业投诉",
    "联系过媒体",
    "写过联名信",
    "去信访局反映",
    "问过派出所",
]
FELT = [
    "身体受到影响",
    "生活很不方便",
    "心里很着急",
    "不得不请假",
    "损失了好几千元",
    "孩子学习受影响",
    "晚上睡不好觉",
    "出门要绕很远",
    "只能搬去亲戚家住",
    "对政府很失望",
]
# How people name a problem without the stock phrase: the issue's key word plus one of these.
PREDICATES = [
    "问题突出",
    "严重扰民",
    "迟迟得不到解决",
    "给居民带来很大困扰",
    "亟待整治",
    "无人管理",
    "隐患很大",
    "让人头疼",
    "反映多次无果",
    "越来越严重",
]
GENERIC = [
    "希望有关部门尽快调查处理",
    "居民多次反映，至今没有得到解决",
    "恳请领导重视",
    "这个问题已经存在很长时间",
    "请相关部门给个答复",
    "周边群众意见很大",
    "特此反映，望予解决",
]


@dataclass(frozen=True)
class Matter:
    key: str
    issue: str
    district: str
    name: str
    start: datetime
    days: int
    popularity: float
    facts: tuple[str, ...]  # what only this matter's reports say: who, how many, since when


@dataclass(frozen=True)
class TopicReport:
    id: str
    title: str
    body: str
    time: datetime
    author: str
    likes: int
    matter: str


def _matter_size(rng: random.Random, cap: int) -> int:
    """Heavy-tailed size (Pareto, alpha 1.25): most matters get one report, a few hundreds."""
    return min(cap, int(1 / (1 - rng.random()) ** (1 / 1.25)))


def _new_matter(rng: random.Random, seen: set[str], start: datetime) -> Matter:
    while True:
        issue = rng.choice(sorted(ISSUE_BANK))
        district = rng.choice(PLACES) + rng.choice("区县")
        name = rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS)
        key = f"{district}{name}:{issue}"
        if key not in seen:
            seen.add(key)
            break
    burst = rng.random() < 0.05  # a new matter flaring up in the last three weeks
    offset = 365 - rng.randrange(1, 21) if burst else rng.randrange(345)
    days = min(365 - offset, rng.randrange(7, 21) if burst else rng.randrange(30, 365))
    facts = (
        f"涉及的是{rng.choice(PARTIES)}",
        f"影响到{rng.randrange(20, 900)}户人家",
        f"从{rng.randrange(2015, 2024)}年{rng.randrange(1, 13)}月开始就这样",
    )
    return Matter(
        key,
        issue,
        district,
        name,
        start + timedelta(days=offset),
        max(1, days),
        rng.paretovariate(1.5),
        facts,
    )


def _phrase(rng: random.Random, m: Matter) -> tuple[str, str]:
    """Return (title, body): the same matter in this author's own words."""
    noun, paraphrases, details = ISSUE_BANK[m.issue]
    where = rng.choice([m.district + m.name, m.name, m.district + m.name + "附近"])

    def issue() -> str:
        return rng.choice(paraphrases) if rng.random() < 0.25 else noun + rng.choice(PREDICATES)

    title = rng.choice(TITLE_FORMS).format(where=where, issue=issue())
    own = rng.choice(
        [
            f"我家住在{rng.randrange(1, 30)}栋{rng.randrange(1, 6)}单元",
            f"我在这里生活了{rng.randrange(2, 30)}年",
            f"这种情况已经持续{rng.randrange(2, 12)}个月",
            f"今天是第{rng.randrange(2, 9)}次反映",
            "",
        ]
    )
    # The body always names the district: the title alone may be ambiguous across districts.
    facts = [f for f in m.facts if rng.random() < 0.6]
    circumstances = [
        rng.choice(WHO) + rng.choice(WHEN) + rng.choice(DID) + "，" + rng.choice(FELT)
        for _ in range(rng.randrange(0, 2))
    ]
    rest = [
        *rng.sample(details, min(len(details), rng.randrange(0, 2))),
        *facts,
        own,
        *circumstances,
        *rng.sample(GENERIC, rng.randrange(1, 3)),
    ]
    rng.shuffle(rest)
    parts = [m.district + m.name + issue(), *rest]
    return title, "，".join(p for p in parts if p) + "。"


def make_topic_corpus(n: int, seed: int = 11, dup_rate: float = 0.02) -> list[TopicReport]:
    """Return n reports over heavy-tailed matters in 2024, with near-duplicate copies."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1)
    seen: set[str] = set()
    reports: list[TopicReport] = []
    cap = max(20, n // 50)
    while len(reports) < n:
        m = _new_matter(rng, seen, start)
        authors: list[str] = []
        for _ in range(min(_matter_size(rng, cap), n - len(reports))):
            if reports and rng.random() < dup_rate:  # a copy, lightly edited, re-sent
                src = reports[rng.randrange(len(reports))]
                reports.append(
                    TopicReport(
                        f"r{len(reports)}",
                        src.title,
                        src.body + "。",
                        src.time,
                        src.author,
                        0,
                        src.matter,
                    )
                )
                continue
            repeat = authors and rng.random() < 0.2  # the same person writing again
            author = rng.choice(authors) if repeat else f"u{rng.randrange(n // 2 + 1)}"
            authors.append(author)
            title, body = _phrase(rng, m)
            when = m.start + timedelta(minutes=rng.randrange(m.days * 24 * 60))
            likes = int(m.popularity * rng.expovariate(1.0)) if rng.random() < 0.3 else 0
            reports.append(TopicReport(f"r{len(reports)}", title, body, when, author, likes, m.key))
    return reports

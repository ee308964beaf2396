"""Word lists for the demo: names, places, units, sectors and recipients.

All names of people and places are invented; the unit and sector lists follow
the real structure of a city CPPCC (trimmed from the 34 national sectors).
"""

from __future__ import annotations

# The most common surnames, most frequent first, so a weighted draw looks natural.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤"
)

GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力林斌宇浩凯鹏飞晨波宁亮"
    "海峰俊颖雪琳婷慧欣怡佳嘉晓志国庆春东旭晖瑞博达诚立新荣光永振家彬昊思远雅琴倩蕾莉丹阳燕"
    "鑫健毅坤松柏涵子蕊瑶璐清源泽睿哲楠翔岚颂"
)

HOST_SHORT = "市政协"
RESEARCH_OFFICE = ("市政协研究室", "研究室")

DISTRICTS = (
    "东城区",
    "西城区",
    "江南区",
    "江北区",
    "湖滨区",
    "新港区",
    "龙山区",
    "青山县",
    "白河县",
    "云岭县",
    "清溪县",
    "安平市",
)

#: (unit name, short name, sector it draws its members from)
PARTIES = (
    ("民革市委", "民革", "中国国民党革命委员会"),
    ("民盟市委", "民盟", "中国民主同盟"),
    ("民建市委", "民建", "中国民主建国会"),
    ("民进市委", "民进", "中国民主促进会"),
    ("农工党市委", "农工党", "中国农工民主党"),
    ("致公党市委", "致公党", "中国致公党"),
    ("九三学社市委", "九三学社", "九三学社"),
    ("台盟市委", "台盟", "台湾民主自治同盟"),
)
FEDERATION = ("市工商联", "工商联", "工商联")

COMMITTEES = (
    ("提案委员会", "提案委"),
    ("经济委员会", "经济委"),
    ("人口资源环境委员会", "人资环委"),
    ("教科卫体委员会", "教科卫体委"),
    ("社会和法制委员会", "社法委"),
    ("民族宗教委员会", "民宗委"),
    ("文史和学习委员会", "文史委"),
    ("港澳台侨和外事委员会", "港澳台侨外事委"),
    ("农业和农村委员会", "农业农村委"),
)

#: The 34 national sectors trimmed to the 26 a city CPPCC has: no 特邀香港/澳门人士,
#: 对外友好界, 台联, 青联 or 体育界, and 少数民族界 and 宗教界 form one sector.
SECTORS = (
    "中国共产党",
    "中国国民党革命委员会",
    "中国民主同盟",
    "中国民主建国会",
    "中国民主促进会",
    "中国农工民主党",
    "中国致公党",
    "九三学社",
    "台湾民主自治同盟",
    "无党派人士",
    "共青团",
    "总工会",
    "妇联",
    "工商联",
    "科协",
    "侨联",
    "文化艺术界",
    "科学技术界",
    "社会科学界",
    "经济界",
    "农业界",
    "教育界",
    "医药卫生界",
    "新闻出版界",
    "社会福利和社会保障界",
    "民族和宗教界",
)

#: Job titles by sector keyword; members get "市政协委员，<title>".
JOBS: dict[str, tuple[str, ...]] = {
    "医药": ("市第一人民医院主任医师", "市中医院副院长", "区妇幼保健院院长", "市疾控中心研究员"),
    "教育": ("市第三中学校长", "实验小学副校长", "市职业技术学院教授", "区教师进修学校高级教师"),
    "经济": ("市城投集团副总经理", "某会计师事务所合伙人", "市商业银行行长", "某制造企业董事长"),
    "农业": ("市农科院研究员", "青山县农业合作社理事长", "市农业技术推广站站长"),
    "科": ("市科技创新研究院研究员", "某软件公司技术总监", "理工大学教授"),
    "文化": ("市歌舞剧院编剧", "市博物馆副馆长", "市书法家协会主席"),
    "新闻": ("市报业集团高级记者", "市广播电视台主任编辑"),
    "社会": ("市社会福利院院长", "某社会工作服务中心主任", "律师事务所主任"),
}
DEFAULT_JOBS = (
    "某律师事务所律师",
    "市民营企业家",
    "大学副教授",
    "某街道社区党委书记",
    "市建筑设计研究院总工程师",
    "某物流公司总经理",
    "区人民法院退休法官",
)

#: (name, level, sort order); departments get forwarded 《信息快报》 items.
RECIPIENTS = (
    ("全国政协", "national"),
    ("省政协", "provincial"),
    ("市委", "municipal"),
    ("市政府", "municipal"),
    ("市教育局", "department"),
    ("市卫生健康委", "department"),
    ("市住房城乡建设局", "department"),
    ("市生态环境局", "department"),
    ("市民政局", "department"),
    ("市人力资源社会保障局", "department"),
)

#: (name, code): the three bulletin series.
BULLETINS = (
    ("政协信息专报", "zxxxzb"),
    ("社情民意", "sqmy"),
    ("信息快报", "xxkb"),
)

#: Approval chains (审签流程) by series code: (step, role code). 《政协信息专报》 goes up to
#: 省政协 and 市委, so two signatures; 《信息快报》 one; 《社情民意》 keeps the default 签发.
APPROVAL_CHAINS: dict[str, tuple[tuple[str, str], ...]] = {
    "zxxxzb": (("分管副秘书长审签", "approver"), ("秘书长签发", "approver")),
    "xxkb": (("秘书长签发", "approver"),),
}

#: Invented leaders by instruction level: (name, title).
LEADERS: dict[str, tuple[tuple[str, str], ...]] = {
    "national": (("周立新", "全国政协副主席"), ("冯志远", "全国政协副秘书长")),
    "provincial": (("韩振国", "副省长"), ("邵明德", "省政协副主席"), ("秦海峰", "省委副书记")),
    "municipal": (
        ("郑建华", "市委书记"),
        ("刘卫东", "市长"),
        ("何晓春", "常务副市长"),
        ("罗文静", "副市长"),
        ("陆国强", "市委常委、秘书长"),
    ),
    "county": (("唐志刚", "江南区委书记"), ("贺丽萍", "青山县县长"), ("邹永平", "湖滨区区长")),
}

INSTRUCTION_TEXTS = (
    "此件反映的问题很有针对性，请{dept}认真研究，提出具体改进措施。",
    "请{dept}会同有关部门抓紧研究，尽快拿出解决办法，并将结果报我。",
    "建议很有价值。请{dept}结合明年工作安排统筹考虑，切实抓好落实。",
    "请{dept}深入调研，举一反三，建立长效机制。",
    "所提建议可行，请{dept}吸收采纳，并向反映人做好反馈。",
)

RETURN_NOTES = (
    "请补充具体数据和事实依据，说明情况来源。",
    "建议部分较为笼统，请提出具体、可操作的意见建议。",
    "一篇稿件反映了两个以上问题，请按“一事一报”的要求修改。",
    "请核实文中引用数据的出处，并注明调查时间和范围。",
    "篇幅过长，请压缩到 1000 字以内，突出问题和建议。",
)

REJECT_SIGN_OFF_NOTES = (
    "部分数据需与主管部门再次核实，请修改后再送。",
    "建议第三条表述不够准确，请斟酌修改。",
)

INFORMANTS = (
    "社区居民代表",
    "基层医务工作者",
    "企业职工代表",
    "乡村教师",
    "个体工商户",
    "高校学者",
)

#: The department a leader's instruction names, by top-level category.
INSTRUCTION_DEPTS = {
    "经济发展": "市发展改革委",
    "民生保障": "市民政局",
    "城乡建设": "市住房城乡建设局",
    "生态环境": "市生态环境局",
    "教育文体": "市教育局",
    "医疗卫生": "市卫生健康委",
    "社会治理": "市委政法委",
}

#: Where 《信息快报》 copies go, by top-level category (recipients above).
COPY_DEPTS = {
    "民生保障": "市民政局",
    "城乡建设": "市住房城乡建设局",
    "生态环境": "市生态环境局",
    "教育文体": "市教育局",
    "医疗卫生": "市卫生健康委",
    "经济发展": "市人力资源社会保障局",
}

#: How each recipient writes up an adoption: (kind, carrier template).
CARRIERS = {
    "全国政协": (
        ("single", "全国政协《社情民意信息》第{n}期"),
        ("combined", "全国政协《社情民意信息》综合稿"),
    ),
    "省政协": (
        ("single", "省政协《社情民意》{year}年第{n}期"),
        ("combined", "省政协《综合信息》第{n}期"),
    ),
    "市委": (("single", "市委办公室《每日要情》第{n}期"), ("transfer", "市委办公室转有关部门办理")),
    "市政府": (
        ("single", "市政府办公室《政务信息》第{n}期"),
        ("transfer", "市政府办公室转有关部门办理"),
    ),
}

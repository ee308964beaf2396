"""The writing assistant on each failure class of issue #16 §1.

The drafts here are written for these tests and differ from the labelled bench set in
tests/data/assistant_drafts, so passing does not just replay what the checks were tuned on.
"""

from __future__ import annotations

from datetime import date

from minyi.textlab.quality import Draft, Finding, check, check_text
from minyi.textlab.segment import segment

TODAY = date(2025, 9, 15)
SITUATION = (
    "8月下旬，我们在临江区走访了9个社区，独居老人约1300人，其中约四成没有安装紧急呼叫设备，"
    "去年冬天曾有老人在家摔倒后两天才被发现。"
)
ANALYSIS = "呼叫设备由社区自行采购，经费没有保障；安装后缺少后台值守。"
SUGGESTIONS = "建议区民政局年内为独居老人免费安装紧急呼叫设备，由街道养老服务中心24小时值守。"
GOOD = Draft(
    title="关于独居老人紧急呼叫设备覆盖不足的建议",
    situation=SITUATION,
    analysis=ANALYSIS,
    suggestions=SUGGESTIONS,
)


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def with_situation(situation: str, **kw: str) -> Draft:
    return Draft(**{**GOOD.__dict__, "situation": situation, **kw})


def test_the_base_draft_of_these_tests_is_clean() -> None:
    assert check(GOOD, TODAY) == []


# --- Inline headings -----------------------------------------------------------------


def test_an_inline_heading_next_to_a_standalone_one_is_a_heading() -> None:
    text = (
        f"{GOOD.title}\n基本情况\n{SITUATION}\n原因分析：{ANALYSIS}\n三、意见建议：{SUGGESTIONS}\n"
    )
    draft = Draft.from_text(text)
    assert draft.analysis == ANALYSIS
    assert draft.suggestions == SUGGESTIONS
    assert check(draft, TODAY) == []


def test_numbered_and_bracketed_headings_split_the_sections() -> None:
    text = (
        f"{GOOD.title}\n（一）基本情况\n{SITUATION}\n（二）问题分析\n{ANALYSIS}\n"
        f"（三）对策建议\n{SUGGESTIONS}"
    )
    draft = Draft.from_text(text)
    assert (draft.situation, draft.analysis, draft.suggestions) == (
        SITUATION,
        ANALYSIS,
        SUGGESTIONS,
    )


def test_other_usual_headings_split_the_sections_too() -> None:
    text = (
        f"{GOOD.title}\n一、情况概述\n{SITUATION}\n二、问题及原因\n{ANALYSIS}\n"
        f"三、对策：{SUGGESTIONS}"
    )
    draft = Draft.from_text(text)
    assert (draft.analysis, draft.suggestions) == (ANALYSIS, SUGGESTIONS)


def test_a_draft_in_three_paragraphs_without_headings_has_its_analysis() -> None:
    text = f"{GOOD.title}\n{SITUATION}\n呼叫设备由社区自行采购，经费没有保障。\n{SUGGESTIONS}"
    assert "missing_analysis" not in codes(check_text(text, TODAY))


def test_a_consequence_is_no_analysis() -> None:
    situation = SITUATION + "设备缺失导致老人摔倒后无法及时求助，造成严重后果。"
    text = f"{GOOD.title}\n{situation}\n{SUGGESTIONS}"
    assert "missing_analysis" in codes(check_text(text, TODAY))


def test_a_sentence_starting_with_a_heading_word_is_not_a_heading() -> None:
    draft = Draft.from_text(f"{GOOD.title}\n{SITUATION}\n建议区民政局为独居老人安装设备。")
    assert not draft.sectioned
    assert "missing_suggestions" not in codes(check(draft, TODAY))


# --- Timeliness: the age of the event ------------------------------------------------


def test_a_year_without_a_month_dates_the_event() -> None:
    draft = with_situation("2019年汛期，临江区沿河的3个村共有40户村民房屋进水。")
    [found] = [f for f in check(draft, TODAY) if f.code == "stale_event"]
    assert draft.situation[found.start : found.end] == "2019年汛期"
    assert "2019年汛期" in found.message


def test_a_date_in_chinese_numerals_dates_the_event() -> None:
    draft = with_situation("二〇二三年五月，临江区沿河的3个村共有40户村民房屋进水。")
    [found] = [f for f in check(draft, TODAY) if f.code == "stale_event"]
    assert draft.situation[found.start : found.end] == "二〇二三年五月"


def test_relative_years_date_the_event() -> None:
    for when in ("去年夏天", "前年", "三年前"):
        draft = with_situation(f"{when}，临江区沿河的3个村共有40户村民房屋进水。")
        assert "stale_event" in codes(check(draft, TODAY)), when


def test_a_recent_statistic_as_of_a_few_months_back_is_current() -> None:
    draft = with_situation("截至今年5月底，临江区独居老人约1300人，其中约四成没有呼叫设备。")
    assert "stale_event" not in codes(check(draft, TODAY))


def test_a_policy_date_or_a_comparison_is_not_the_event() -> None:
    draft = with_situation(
        "根据2019年出台的《居家养老服务条例》，独居老人应配备呼叫设备。本月走访的独居老人"
        "约1300人，比去年同期增加约一成。"
    )
    assert "stale_event" not in codes(check(draft, TODAY))


def test_last_years_tally_is_a_statistic_not_the_event() -> None:
    draft = with_situation("去年全年，临江区独居老人在家摔倒后未被及时发现的有17起。")
    assert "stale_event" not in codes(check(draft, TODAY))


def test_an_old_event_said_to_last_until_now_is_not_stale() -> None:
    draft = with_situation("2021年，临江区一座人行桥因洪水受损，至今没有修复，村民只能绕行。")
    assert "stale_event" not in codes(check(draft, TODAY))


def test_the_reference_date_decides_what_is_old() -> None:
    draft = with_situation("今年3月，临江区3个村的40户村民反映饮用水浑浊。")
    assert "stale_event" not in codes(check(draft, date(2025, 4, 20)))
    assert "stale_event" in codes(check(draft, date(2025, 9, 15)))


# --- 一事一报 -----------------------------------------------------------------------


def test_enumerated_unrelated_matters_are_named() -> None:
    draft = with_situation(
        "近期收集到以下情况：一是青石镇中学宿舍楼热水供应不足，住校学生冬季洗澡难；"
        "二是滨江路夜市摊贩占道经营，油烟和噪音扰民；三是临江区医保报销窗口排队时间长，"
        "异地就医备案办理要跑多次。"
    )
    [found] = [f for f in check(draft, TODAY) if f.code == "multiple_matters"]
    assert "青石镇中学宿舍楼热水供应不足" in found.message
    assert "滨江路夜市摊贩占道经营" in found.message
    assert "3件" in found.message


def test_bracketed_and_numbered_items_are_read_too() -> None:
    for a, b in (("（一）", "（二）"), ("1. ", "2. ")):
        draft = with_situation(
            f"{a}城南农贸市场活禽宰杀污水直排，周边商户反映臭味严重。\n"
            f"{b}红旗小学门口没有斑马线，学生放学过马路危险。"
        )
        assert "multiple_matters" in codes(check(draft, TODAY)), a


def test_items_of_one_matter_are_one_matter() -> None:
    draft = with_situation(
        "走访发现：一是独居老人家中呼叫设备覆盖率不足四成；二是已安装的呼叫设备约三成"
        "因欠费停机；三是呼叫设备接通后无人值守，老人求助得不到回应。"
    )
    assert "multiple_matters" not in codes(check(draft, TODAY))


def test_the_aspects_of_one_event_listed_without_places_are_one_matter() -> None:
    draft = with_situation(
        "8月下旬连续降雨后，据村委会统计：一是全村56户村民房屋进水，其中8户墙体受损；"
        "二是通村公路两处塌方，车辆无法通行；三是村里的小学被迫停课，120名学生在家。",
        title="关于暴雨对石岭村群众生产生活影响的情况",
    )
    assert "multiple_matters" not in codes(check(draft, TODAY))


def test_besides_about_the_same_matter_is_one_matter() -> None:
    draft = with_situation(SITUATION + "此外，部分独居老人不会使用呼叫设备，安装后长期闲置。")
    assert "multiple_matters" not in codes(check(draft, TODAY))


def test_besides_about_another_matter_is_another_matter() -> None:
    draft = with_situation(SITUATION + "另外，临江区公交站台破损，雨天候车的乘客无处避雨。")
    assert "multiple_matters" in codes(check(draft, TODAY))


def test_a_classifier_tells_apart_items_the_lexicon_does_not_know() -> None:
    draft = with_situation(
        "一是青石镇甲方案的申报材料要求繁多；二是滨江街道乙事项的登记周期越拖越长。"
    )
    assert "multiple_matters" not in codes(check(draft, TODAY))

    def classifier(texts: list[str]) -> list[str]:
        return ["科技" if "甲" in t else "民政" for t in texts]

    assert "multiple_matters" in codes(check(draft, TODAY, classifier=classifier))


def test_a_trained_category_model_serves_as_the_classifier() -> None:
    from minyi.textlab.classify import train

    science = ["科技项目申报材料繁多", "科研经费报销手续复杂", "高新技术企业认定申报难",
               "科技成果转化项目审核慢", "研发费用加计扣除申报繁琐", "科技计划项目验收材料多",
               "科研项目经费拨付迟缓", "科技创新券申领手续繁杂"]  # fmt: skip
    civil = ["婚姻登记窗口排队时间长", "结婚登记预约号源紧张", "离婚登记冷静期预约难",
             "婚姻登记处周末不开放", "收养登记手续复杂", "婚姻登记档案查询难",
             "补领结婚证要跑多次", "婚姻登记网上预约系统卡顿"]  # fmt: skip
    model = train(science + civil, ["科技"] * 8 + ["民政"] * 8)
    draft = with_situation(
        "一是青石镇科技项目申报材料繁多，企业反映要交二十多份材料；"
        "二是滨江街道婚姻登记排队时间长，预约号源紧张。"
    )
    assert "multiple_matters" not in codes(check(draft, TODAY))  # the lexicon knows neither
    assert "multiple_matters" in codes(check(draft, TODAY, classifier=model))


# --- Urgency ------------------------------------------------------------------------


def test_a_sudden_risk_happening_now_suggests_an_urgent_report_with_its_reason() -> None:
    draft = with_situation(
        "今天凌晨，临江区滨河小区3号楼地下室发生火灾，浓烟进入楼道，已有5名居民因吸入"
        "浓烟被送往区人民医院。",
        title="关于滨河小区地下室火灾的情况",
    )
    [found] = [f for f in check(draft, TODAY) if f.code == "suggest_urgent"]
    assert "发生火情" in found.message and "急报" in found.message
    assert draft.situation[found.start : found.end] == "火灾"


def test_a_date_of_the_last_days_counts_as_now() -> None:
    draft = with_situation(
        "9月13日晚，临江区滨河小区陆续有居民出现腹泻、呕吐症状，已有12人被送往区人民医院。"
    )
    assert "suggest_urgent" in codes(check(draft, date(2025, 9, 14)))
    assert "suggest_urgent" not in codes(check(draft, date(2025, 10, 1)))


def test_a_report_already_sent_as_urgent_is_not_told_again() -> None:
    draft = with_situation(
        "今天凌晨，滨河小区3号楼地下室发生火灾，5名居民被送往区人民医院。",
        title="关于滨河小区地下室火灾的紧急情况",
    )
    assert "suggest_urgent" not in codes(check(draft, TODAY))  # the title says so
    chosen = Draft(**{**draft.__dict__, "urgency": "special"})
    assert "suggest_urgent" not in codes(check(chosen, TODAY))
    routine = Draft(**{**draft.__dict__, "urgency": "routine"})
    assert "suggest_urgent" in codes(check(routine, TODAY))


def test_a_lasting_hardship_or_an_old_accident_is_not_urgent() -> None:
    hardship = with_situation("目前，临江区3个村的老人就医难，看病要坐两小时车到县医院就诊。")
    old = with_situation("2023年7月，临江区一处隧道积水，2辆车被困。")
    assert "suggest_urgent" not in codes(check(hardship, TODAY))
    assert "suggest_urgent" not in codes(check(old, TODAY))


def test_a_tally_of_past_fires_is_no_sudden_event() -> None:
    draft = with_situation(
        "截至目前，临江区今年共发生电动自行车火灾9起。据走访，约四成独居老人家中没有安装"
        "烟感报警器，部分老人把电动车推进楼道充电。目前街道正在组织排查，已排查住户约1300户，"
        "发现老人家中插线板老化、私拉电线等问题较为普遍，需要逐户整改的约占三成。"
    )
    assert "suggest_urgent" not in codes(check(draft, TODAY))


# --- Title --------------------------------------------------------------------------


def test_titles_with_a_qualified_kind_are_correct() -> None:
    for title in (
        "关于独居老人紧急呼叫设备的几点建议",
        "关于独居老人紧急呼叫设备的情况反映",
        "关于独居老人紧急呼叫设备覆盖不足的情况和建议",
    ):
        draft = Draft(**{**GOOD.__dict__, "title": title})
        assert "title_form" not in codes(check(draft, TODAY)), title


def test_an_overlong_title_is_told_it_is_long() -> None:
    title = (
        "关于"
        + "为全区独居老人和高龄空巢老人统一免费安装紧急呼叫设备并安排街道专人全天候值守"
        + "的建议"
    )
    [found] = [
        f
        for f in check(Draft(**{**GOOD.__dict__, "title": title}), TODAY)
        if f.code == "title_form"
    ]
    assert "标题偏长" in found.message


def test_an_urgent_situation_title_is_a_correct_title() -> None:
    draft = Draft(**{**GOOD.__dict__, "title": "关于临江区滨河小区燃气泄漏的紧急情况"})
    assert "title_form" not in codes(check(draft, TODAY))


def test_the_suggested_title_never_doubles_about() -> None:
    draft = Draft(**{**GOOD.__dict__, "title": "关于关于独居老人紧急呼叫设备的建议"})
    [found] = [f for f in check(draft, TODAY) if f.code == "title_form"]
    assert found.example == "关于独居老人紧急呼叫设备的建议"


def test_a_title_saying_its_kind_twice_is_flagged_and_fixed_once() -> None:
    draft = Draft(**{**GOOD.__dict__, "title": "关于建议为独居老人安装呼叫设备的建议"})
    [found] = [f for f in check(draft, TODAY) if f.code == "title_form"]
    assert found.example == "关于为独居老人安装呼叫设备的建议"


def test_the_suggested_title_cuts_between_words() -> None:
    title = "请求尽快为全区独居老人和高龄空巢老人统一免费安装紧急呼叫设备并安排专人值守"
    [found] = [
        f
        for f in check(Draft(**{**GOOD.__dict__, "title": title}), TODAY)
        if f.code == "title_form"
    ]
    core = found.example.removeprefix("关于").removesuffix("的情况")
    words, joined = segment(title), ""
    prefixes = set()
    for word in words:
        joined += word
        prefixes.add(joined)
    assert core in prefixes and len(core) < len(title)


# --- Empty phrases ------------------------------------------------------------------


def test_empty_phrases_are_whole_patterns() -> None:
    phrases = ("在区委区政府的坚强领导下", "取得了明显成效", "提高政治站位", "确保整改工作落地见效")
    draft = Draft(**{**GOOD.__dict__, "suggestions": "，".join(phrases) + "。" + SUGGESTIONS})
    marked = [
        draft.suggestions[f.start : f.end] for f in check(draft, TODAY) if f.code == "vague_phrase"
    ]
    assert marked == list(phrases)


def test_describing_a_failure_is_not_an_empty_phrase() -> None:
    draft = with_situation(SITUATION + "相关部门要求社区上门排查，但此前的排查未取得实效。")
    assert "vague_phrase" not in codes(check(draft, TODAY))


# --- 主动性 -------------------------------------------------------------------------


def test_a_long_known_matter_without_new_signs_lacks_initiative() -> None:
    draft = with_situation("滨河路积水问题多年来一直存在，目前每逢下雨仍有约200户居民出行受阻。")
    [found] = [f for f in check(draft, TODAY) if f.code == "not_forward_looking"]
    assert found.principle == "主动性"
    assert draft.situation[found.start : found.end] == "多年来"


def test_a_long_known_matter_with_a_new_tendency_is_forward_looking() -> None:
    draft = with_situation(
        "滨河路积水问题多年来一直存在。今年入汛后积水范围开始向新建的两个小区蔓延，约200户居民"
        "出行受阻。"
    )
    assert "not_forward_looking" not in codes(check(draft, TODAY))


def test_years_of_someones_work_are_not_a_long_known_matter() -> None:
    draft = with_situation(
        "8月下旬，一位从事社区养老工作多年的社工告诉我们，临江区约1300名独居老人中约四成"
        "没有安装紧急呼叫设备。"
    )
    assert "not_forward_looking" not in codes(check(draft, TODAY))


def test_since_a_year_long_past_is_long_known_but_since_this_spring_is_not() -> None:
    old = with_situation("2016年以来，滨河路每逢下雨积水，目前约200户居民出行受阻。")
    new = with_situation("今年3月以来，滨河路每逢下雨积水，目前约200户居民出行受阻。")
    assert "not_forward_looking" in codes(check(old, TODAY))
    assert "not_forward_looking" not in codes(check(new, TODAY))


# --- Failure classes found by typing new drafts (一事一报 without places, counts, risks) --

COLLECTIVE = "关于近期群众反映的几个问题的情况"
UNRELATED_NO_PLACES = (
    "近期座谈中群众反映：一是矿山企业安全生产检查走过场，尾矿库巡查记录多处空白，"
    "特种设备年检逾期；二是幼儿园和中小学的校服价格偏高，一套冬季校服要价近400元，家长负担重；"
    "三是外卖骑手劳动保障缺失，骑手被平台抽成后收入下降，发生事故没有工伤保险。"
)


def matters(draft: Draft) -> Finding:
    [found] = [f for f in check(draft, TODAY) if f.code == "multiple_matters"]
    return found


def test_matters_of_different_sectors_count_without_naming_places() -> None:
    found = matters(with_situation(UNRELATED_NO_PLACES, title=COLLECTIVE))
    assert "3件" in found.message
    for name in ("矿山企业安全生产检查走过场", "校服价格偏高", "外卖骑手劳动保障缺失"):
        assert name in found.message


def test_an_inline_situation_heading_does_not_hide_the_matters() -> None:
    text = (
        f"{COLLECTIVE}\n一、基本情况：{UNRELATED_NO_PLACES}\n二、原因分析：{ANALYSIS}\n"
        f"三、意见建议：{SUGGESTIONS}"
    )
    assert "multiple_matters" in codes(check_text(text, TODAY))


def test_a_list_run_on_in_one_paragraph_is_read() -> None:
    for a, b in (("（一）", "（二）"), ("1. ", "2. "), ("①", "②")):
        situation = (
            f"群众反映集中在两方面：{a}夜班公交线路取消，公交车晚上9点后停运，下夜班的职工打不到车；"
            f"{b}社区药店不能用医保给家人购药，慢性病患者每月要去医院开药。"
        )
        found = matters(with_situation(situation, title=COLLECTIVE))
        assert "2件" in found.message, a


def test_the_aspects_of_one_matter_under_its_title_are_one_matter() -> None:
    draft = with_situation(
        "我们走访了城东街道5个老旧小区，约1800户居民。居民反映的问题主要有：一是加装电梯进展慢，"
        "符合条件的楼栋只装了一成；二是停车位不足，车辆停满消防通道；三是雨污管网老化，"
        "雨季污水倒灌进一楼住户家中。",
        title="关于老旧小区改造内容与居民需求脱节的建议",
    )
    assert check(draft, TODAY) == []


def test_the_signs_of_one_problem_after_its_lead_are_one_matter() -> None:
    draft = with_situation(
        "据对42家企业的调查，用工短缺在制造业尤其突出，具体表现为：一是一线招工难，"
        "车间普工缺口约两成；二是技术工人流失，培训后一年内离职的超过三成；"
        "三是农民工子女入学难，随迁子女在公办学校的学位不足。",
        title="关于近期制造企业用工短缺的几个问题的情况",
    )
    assert "multiple_matters" not in codes(check(draft, TODAY))


def test_every_distinct_matter_is_named_even_one_without_a_place() -> None:
    situation = (
        "近期收到三项诉求：\n（一）东湖花园小区加装电梯后停运，低层住户不愿分摊维保费用，电梯"
        "已停了两个月。\n（二）课后服务收费后内容单一，学生大多在教室自习，家长认为不值。\n"
        "（三）西岭村生活污水沿明沟排入河塘，夏季气味难闻、蚊蝇滋生。"
    )
    found = matters(with_situation(situation, title=COLLECTIVE))
    assert "3件" in found.message
    for name in ("东湖花园小区加装电梯后停运", "课后服务收费后内容单一", "西岭村生活污水"):
        assert name in found.message


def test_a_list_after_a_full_stop_on_new_lines_is_read_as_one_list() -> None:
    situation = (
        "近期收到以下反映。\n（一）南山镇卫生院的胃镜设备闲置，患者要到市医院排队检查。\n"
        "（二）北关小学门口没有斑马线，学生放学过马路危险。\n"
        "（三）河口乡果农的柑橘滞销，收购价每斤不到五毛。"
    )
    assert "3件" in matters(with_situation(situation, title=COLLECTIVE)).message


def urgent_reason(situation: str) -> str:
    draft = with_situation(situation, title="关于一起突发事件的情况")
    [found] = [f for f in check(draft, TODAY) if f.code == "suggest_urgent"]
    return found.message[found.message.index("（") + 1 : found.message.index("）")]


def test_each_risk_is_named_by_its_own_kind() -> None:
    assert (
        urgent_reason(
            "今天上午，临江区一家化工厂的反应釜发生爆炸，周边3个小区约900户居民家中玻璃震碎。"
        )
        == "发生爆炸"
    )
    assert (
        urgent_reason(
            "今天中午，滨河小区一户居民家中燃气泄漏，楼道里能闻到燃气味，整栋楼居民已撤到楼下。"
        )
        == "发生泄漏"
    )
    assert (
        urgent_reason("昨晚，青石镇一处在建厂房的脚手架倒塌，压坏了旁边两户村民的院墙。")
        == "发生坍塌"
    )
    assert (
        urgent_reason("今天下午，临江区实验中学12名学生在校外小摊吃了烤肠后出现中毒症状。")
        == "有人中毒"
    )
    assert (
        urgent_reason(
            "今晚8时许，临江区体育馆演唱会散场时出口人群拥挤，有观众被挤倒，存在踩踏风险。"
        )
        == "人群聚集或踩踏"
    )


def test_an_explosion_with_a_fire_names_both_and_never_only_a_fire() -> None:
    reason = urgent_reason("今天凌晨，临江区一家烟花仓库发生爆炸并起火，火势蔓延到相邻的民房。")
    assert reason == "发生爆炸、发生火情"

"""The Chinese name of every event verb: one registry for timelines, admin and exports."""

from __future__ import annotations

VERB_LABELS: dict[str, str] = {
    # Reports
    "create": "创建草稿",
    "submit": "报送",
    "resubmit": "重新报送",
    "withdraw": "撤回",
    "return": "退回修改",
    "accept": "受理",
    "decline": "不予采用",
    "merge": "综合编报",
    "compose": "综合编报",
    "edit": "编辑修改",
    "edit_details": "修改报送信息",
    "recategorize": "调整类别/紧急程度",
    "send_for_sign_off": "送审签",
    "sign_off": "签发",
    "reject_sign_off": "签发退回",
    "publish": "编发",
    "send_directly": "直报",
    "claim": "认领",
    "release": "取消认领",
    "attach": "上传附件",
    "remove_attachment": "删除附件",
    "import_message": "导入留言",
    # Outcomes
    "forward": "报送",
    "adopt": "采用",
    "not_adopted": "未采用",
    "instruct": "领导批示",
    # Bulletin issues
    "create_issue": "新建期次",
    "compose_issue": "编排刊物",
    "send_issue_for_sign_off": "刊物送审签",
    "reject_issue": "退回刊物",
    "sign_off_issue": "签发刊物",
    # Scoring (履职积分、通报)
    "score_rules_change": "修改积分规则",
    "score_correct": "更正积分",
    "score_objection": "提出积分申诉",
    "score_objection_resolve": "处理积分申诉",
    "campaign_save": "设置信息活动",
    "notice_confirm": "审定年度通报",
    "notice_publish": "发布年度通报",
}


def verb_label(verb: str) -> str:
    return VERB_LABELS.get(verb, verb)

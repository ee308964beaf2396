"""One vocabulary of event verbs, with the Chinese name of each.

``Verb`` is the only list of what can happen in minyi. ``audit.record()`` refuses a
verb that is not here, and every table keyed by verb elsewhere (author feedback,
notification kinds, points, outcome rank) is checked against it by
``tests/audit/test_verbs.py``: adding a verb without deciding what each of those
does with it fails the suite.
"""

from __future__ import annotations

from django.db import models


class Verb(models.TextChoices):
    # Reports
    CREATE = "create", "创建草稿"
    SUBMIT = "submit", "报送"
    RESUBMIT = "resubmit", "重新报送"
    WITHDRAW = "withdraw", "撤回"
    RETURN = "return", "退回修改"
    ACCEPT = "accept", "受理"
    DECLINE = "decline", "不予采用"
    MERGE = "merge", "并入综合稿"
    COMPOSE = "compose", "编写综合稿"
    EDIT = "edit", "编辑修改"
    EDIT_DETAILS = "edit_details", "修改报送信息"
    RECATEGORIZE = "recategorize", "调整类别/紧急程度"
    MARK_CONFIDENTIALITY = "mark_confidentiality", "标注密级"
    SEND_FOR_SIGN_OFF = "send_for_sign_off", "送审签"
    SIGN_OFF = "sign_off", "签发"
    REJECT_SIGN_OFF = "reject_sign_off", "签发退回"
    PUBLISH = "publish", "编发"
    UNPUBLISH = "unpublish", "撤回编发"
    SEND_DIRECTLY = "send_directly", "直报"
    CLAIM = "claim", "认领"
    RELEASE = "release", "取消认领"
    TAKE_OVER = "take_over", "接手"
    ATTACH = "attach", "上传附件"
    REMOVE_ATTACHMENT = "remove_attachment", "删除附件"
    IMPORT_MESSAGE = "import_message", "导入留言"
    # Outcomes
    FORWARD = "forward", "报送"
    ADOPT = "adopt", "采用"
    NOT_ADOPTED = "not_adopted", "未采用"
    RECALL = "recall", "撤回报送"
    INSTRUCT = "instruct", "领导批示"
    CHASE = "chase", "催办"
    # Bulletin issues
    CREATE_ISSUE = "create_issue", "新建期次"
    COMPOSE_ISSUE = "compose_issue", "编排刊物"
    SEND_ISSUE_FOR_SIGN_OFF = "send_issue_for_sign_off", "刊物送审签"
    REJECT_ISSUE = "reject_issue", "退回刊物"
    SIGN_OFF_ISSUE = "sign_off_issue", "签发刊物"
    APPROVE_ISSUE_STEP = "approve_issue_step", "审核刊物"
    DELETE_ISSUE = "delete_issue", "删除待编号期次"
    CORRECT_ISSUE = "correct_issue", "更正刊物"
    VOID_ISSUE = "void_issue", "作废期号"
    # Scoring (履职积分、通报)
    SCORE_RULES_CHANGE = "score_rules_change", "修改积分规则"
    SCORE_CORRECT = "score_correct", "更正积分"
    SCORE_OBJECTION = "score_objection", "提出积分申诉"
    SCORE_OBJECTION_RESOLVE = "score_objection_resolve", "处理积分申诉"
    CAMPAIGN_SAVE = "campaign_save", "设置信息活动"
    NOTICE_CONFIRM = "notice_confirm", "审定年度通报"
    RATING_REVIEW = "rating_review", "复核评定档次"
    NOTICE_PUBLISH = "notice_publish", "发布年度通报"
    # Topic guide, commissions, terms and appointments (委员履职)
    TOPIC_SAVE = "topic_save", "保存选题"
    COMMISSION_OFFER = "commission_offer", "约稿"
    COMMISSION_ACCEPT = "commission_accept", "接受约稿"
    COMMISSION_DECLINE = "commission_decline", "婉拒约稿"
    COMMISSION_DELIVER = "commission_deliver", "约稿交稿"
    COMMISSION_UNDELIVER = "commission_undeliver", "撤回交稿"
    COMMISSION_CANCEL = "commission_cancel", "撤销约稿"
    TERM_CHANGE = "term_change", "换届"
    OFFICER_APPOINT = "officer_appoint", "聘任特约信息员"
    OFFICER_REMOVE = "officer_remove", "解聘特约信息员"
    # Imports (数据交换)
    IMPORT_ROSTER = "import_roster", "导入名册"
    IMPORT_REPORTS = "import_reports", "导入历史信息"
    # Access (登录与访问留痕): who came in, how, and what they carried out.
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKOUT = "lockout", "账号锁定"
    UNLOCK = "unlock", "解除锁定"
    LOGOUT = "logout", "退出登录"
    LOGOUT_EVERYWHERE = "logout_everywhere", "退出全部会话"
    PASSWORD_CHANGE = "password_change", "修改密码"
    OTP_ENROL = "otp_enrol", "启用两步验证"
    OTP_RESET = "otp_reset", "重置两步验证"
    RECOVERY_CODES = "recovery_codes", "生成恢复码"
    RECOVERY_CODE_USED = "recovery_code_used", "使用恢复码登录"
    DOWNLOAD = "download", "下载"
    EXPORT = "export", "导出"
    BACKUP = "backup", "备份"
    # Deadlines: said to people by notifications, not written to the event log.
    DEADLINE_NEAR = "deadline_near", "即将到期"
    DEADLINE_PASSED = "deadline_passed", "已经超期"
    FEEDBACK_OVERDUE = "feedback_overdue", "逾期未反馈"
    COMMISSION_DUE = "commission_due", "约稿即将到期"


#: Verbs only notifications use: reminders about time, which change nothing on record.
NOTIFICATION_ONLY = frozenset(
    {Verb.DEADLINE_NEAR, Verb.DEADLINE_PASSED, Verb.FEEDBACK_OVERDUE, Verb.COMMISSION_DUE}
)

#: Verbs that record access (logins, downloads, exports, backups): kept for the
#: audit page, told to nobody, worth no points.
ACCESS_VERBS = frozenset(
    {
        Verb.LOGIN,
        Verb.LOGIN_FAILED,
        Verb.LOCKOUT,
        Verb.UNLOCK,
        Verb.LOGOUT,
        Verb.LOGOUT_EVERYWHERE,
        Verb.PASSWORD_CHANGE,
        Verb.OTP_ENROL,
        Verb.OTP_RESET,
        Verb.RECOVERY_CODES,
        Verb.RECOVERY_CODE_USED,
        Verb.DOWNLOAD,
        Verb.EXPORT,
        Verb.BACKUP,
    }
)

VERB_LABELS: dict[str, str] = {verb.value: verb.label for verb in Verb}


def verb_label(verb: str) -> str:
    return VERB_LABELS.get(verb, verb)

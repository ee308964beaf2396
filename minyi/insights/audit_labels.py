"""Chinese words for what the audit page shows: the object an event is about and its payload.

Events store codes (``bulletins.issue``, ``{"what": "issue_copy_pdf"}``) so the log stays
stable when wording changes; the page says them in Chinese. A key or kind missing from
the tables is still shown, as its code, so a new one is readable before it is labelled.
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from minyi.reports.models import Confidentiality, DeclineReason

#: Payload keys, as the admin reads them.
PAYLOAD_LABELS: dict[str, str] = {
    "what": "内容",
    "name": "文件名",
    "size": "大小（字节）",
    "rows": "行数",
    "filters": "筛选条件",
    "truncated": "已截断",
    "copy": "份号",
    "copies": "份数",
    "issues": "期数",
    "year": "年度",
    "scan": "扫描件所属",
    "marking": "密级标注",
    "confidentiality": "密级",
    "marked_reports": "所含标密稿件",
    "marked_rows": "标密稿件行数",
    "note": "说明",
    "reason": "理由",
    "reply": "答复",
    "text": "内容",
    "title": "标题",
    "topic": "选题",
    "addressee": "约稿对象",
    "member": "委员",
    "unit": "单位",
    "recipient": "报送对象",
    "state": "状态",
    "before": "修改前",
    "after": "修改后",
    "from": "原为",
    "to": "改为",
    "category": "类别",
    "urgency": "紧急程度",
    "level": "级别",
    "until": "保密期限",
    "points": "分值",
    "opinion": "意见",
    "number": "编号",
    "revision": "版本",
    "fields": "字段",
    "changes": "改动",
    "changed": "改动",
    "count": "数量",
    "published": "已发布",
    "username": "用户名",
    "user": "用户",
    "display_name": "姓名",
    "device": "设备",
    "kind": "类型",
    "into": "并入",
    "original": "原稿",
    "duplicate": "重复稿",
    "sources": "来源稿件",
    "leader": "批示领导",
    "carrier": "载体",
    "adopted_on": "采用日期",
    "instructed_on": "批示日期",
    "due_on": "期限",
    "void_reason": "作废原因",
    "correction_note": "更正说明",
    "cumulative_number": "总期号",
    "step": "审批步骤",
    "imported": "导入条数",
    "failed": "失败条数",
    "file": "文件",
    "second_factor": "第二步验证",
    "stage": "验证环节",
    "issue_id": "刊物期次",
    "version": "版本",
    "letter": "函件",
    "by_office": "由办公室修改",
    "claimed": "同时认领",
    "code": "代码",
    "change": "变动",
    "main": "主稿",
    "reports": "稿件",
}

#: The ``what`` of a ``download`` or ``export`` event (grep record_download / record_export).
DOCUMENT_KINDS: dict[str, str] = {
    "attachment": "附件",
    "attachment_preview": "附件（在线预览）",
    "incoming_scan": "收文扫描件",
    "issue_docx": "刊物（Word）",
    "issue_pdf": "刊物（PDF）",
    "issue_copies": "分发份号登记",
    "issue_copy_docx": "分发份文件（Word）",
    "issue_copy_pdf": "分发份文件（PDF）",
    "yearbook_docx": "汇编（Word）",
    "yearbook_pdf": "汇编（PDF）",
    "report_docx": "稿件（Word）",
    "report_pdf": "稿件（PDF）",
    "notice_docx": "通报（Word）",
    "duty_record_docx": "委员履职记录（Word）",
    "duty_records_docx": "委员履职记录汇总（Word）",
    "duty_records_pdf": "委员履职记录汇总（PDF）",
    "audit_events": "审计日志",
    "scores": "积分表",
}

#: Kinds with a variable tail: ``reports:triage``, ``figure:by_unit``, ``chase_xlsx``.
KIND_PREFIXES: dict[str, str] = {
    "reports:": "稿件清单",
    "figure:": "统计图表数据",
    "chase_": "催办清单",
}

#: Coded values of a few keys.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "scan": {"adoption": "采用", "instruction": "批示"},
    "confidentiality": dict(Confidentiality.choices),
    "marking": dict(Confidentiality.choices),
    "level": dict(Confidentiality.choices),
    "reason": dict(DeclineReason.choices),
}

#: Keys whose value is the event object's ``state``: said with that model's own state label.
STATE_KEYS = frozenset({"from", "to", "state"})


def _state_labels(object_type: str) -> dict[str, str]:
    """The Chinese labels of ``state`` on the model ``object_type`` names (empty if none)."""
    try:
        field = apps.get_model(object_type)._meta.get_field("state")
    except (LookupError, ValueError, FieldDoesNotExist):
        return {}
    return {str(code): str(label) for code, label in field.choices or ()}


def kind_label(code: str) -> str:
    if code in DOCUMENT_KINDS:
        return DOCUMENT_KINDS[code]
    for prefix, label in KIND_PREFIXES.items():
        if code.startswith(prefix):
            return f"{label}（{code.removeprefix(prefix)}）"
    return code


#: Models whose own name is too short to stand alone on the page ("期" for an issue).
OBJECT_NAMES: dict[str, str] = {
    "bulletins.issue": "刊物期次",
}


def object_label(object_type: str, object_id: str) -> str:
    """Name ``bulletins.issue`` 24 as "刊物期次 #24": the model's own Chinese name."""
    if object_type in OBJECT_NAMES:
        return f"{OBJECT_NAMES[object_type]} #{object_id}"
    try:
        name = str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        name = object_type  # a model since removed: its code still says what it was
    return f"{name} #{object_id}"


def _value(key: str, value: Any, states: dict[str, str]) -> str:
    if key == "what" and isinstance(value, str):
        return kind_label(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        if key in STATE_KEYS and value in states:
            return states[value]
        return VALUE_LABELS.get(key, {}).get(value, value)
    return json.dumps(value, ensure_ascii=False)


#: A key's place when shown: the table's order, so "内容" and "文件名" come first whatever
#: order the database returns (PostgreSQL's jsonb sorts keys by length).
_KEY_ORDER = {key: n for n, key in enumerate(PAYLOAD_LABELS)}


def describe_payload(payload: dict[str, Any], object_type: str = "") -> str:
    """Say ``{"what": "issue_copy_pdf", "name": …}`` as "内容：分发份文件（PDF）；文件名：…".

    ``object_type`` (``reports.report``) lets a ``from``/``to`` state be said with that
    model's label ("待签发") instead of its code.
    """
    states = _state_labels(object_type) if object_type else {}
    keys = sorted(payload, key=lambda key: (_KEY_ORDER.get(key, len(_KEY_ORDER)), key))
    return "；".join(
        f"{PAYLOAD_LABELS.get(key, key)}：{_value(key, payload[key], states)}" for key in keys
    )

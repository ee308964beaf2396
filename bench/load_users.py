"""The people of ``bench/load.py``: members, editors, leaders and the floor, as locust users.

Imported only by the swarm child of ``bench/load.py`` (locust patches the standard library
with gevent on import). ``configure(plan, think)`` hands the classes their accounts and the
think time before the run. Every request is named after its page, so the statistics are per
page; a member's acknowledged submission (the 302 to the report page after 保存并报送) is kept
in ``ACKNOWLEDGED`` for the database check afterwards.

TLS ends at the proxy in production; on loopback the users send ``X-Forwarded-Proto: https``
(the server trusts it through ``MINYI_PROXY_SSL_HEADER``) and send the ``Secure`` cookies over
plain HTTP, as a browser talking to that proxy would (a patch of the cookie policy in the swarm
process only).
"""

from __future__ import annotations

import http.cookiejar
import random
import re
from collections.abc import Callable
from typing import Any

from django_otp.oath import totp
from locust import HttpUser, between, constant, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BASE_REVISION = re.compile(r'name="base_revision" value="(\d+)"')
TRIAGE_LINK = re.compile(r'href="/office/reports/(\d+)/"')
SUBMITTED = re.compile(r"/reports/(\d+)/$")
PLAN: dict[str, Any] = {}
ACKNOWLEDGED: list[int] = []
TEXT = {
    "situation": "我市60岁以上老年人口已达86万，占户籍人口21.3%，社区养老床位缺口约4000张，"
    "部分老旧小区无电梯、无无障碍通道，老年人出行难。",
    "analysis": "一是规划落地难；二是运营补贴不足；三是专业护理人员缺乏，待遇偏低、流失率高。",
    "suggestions": "一、将社区养老设施纳入控规；二、提高运营补贴标准；三、加强护理人员培训，"
    "建立岗位津贴制度。",
}


def _send_secure_cookies_over_loopback(policy: Any, cookie: Any, request: Any) -> bool:
    return True


def configure(plan: dict[str, Any], think: tuple[float, float]) -> None:
    # The proxy that ends TLS is left out: keep sending the Secure cookies over plain HTTP.
    http.cookiejar.DefaultCookiePolicy.return_ok_secure = _send_secure_cookies_over_loopback
    PLAN.update(plan)
    PLAN["accounts"] = {kind: list(plan[kind]) for kind in ("members", "editors", "leaders")}
    wait = constant(0) if think == (0, 0) else between(*think)
    for cls in (MemberUser, EditorUser, LeaderUser, FloorUser):
        cls.wait_time = wait


def behind_proxy(client: Any, host: str) -> None:
    """Say what the TLS proxy says (the request came over https) and send a same-site Referer."""
    client.headers["X-Forwarded-Proto"] = "https"
    client.headers["Referer"] = host.replace("http://", "https://") + "/"


class BenchUser(HttpUser):
    abstract = True
    kind = ""

    def on_start(self) -> None:
        behind_proxy(self.client, self.host)
        accounts = PLAN["accounts"][self.kind]
        # Each virtual person has their own account: a TOTP code is good for one login only.
        self.account = accounts.pop() if accounts else random.choice(PLAN[self.kind])
        self.log_in()

    def csrf(self, html: str) -> str:
        found = CSRF.search(html)
        return found.group(1) if found else ""

    def log_in(self) -> None:
        page = self.client.get("/login/", name="登录页")
        data = {
            "username": self.account["username"],
            "password": PLAN["password"],
            "csrfmiddlewaretoken": self.csrf(page.text),
        }
        with self.client.post("/login/", data, name="登录", catch_response=True) as answer:
            if "/login/" in answer.url:
                answer.failure("登录失败")
        if "key" in self.account:
            self.second_factor(answer.url, answer.text)

    def second_factor(self, url: str, verify_page: str) -> None:
        code = f"{totp(bytes.fromhex(self.account['key'])):06d}"
        data = {"code": code, "csrfmiddlewaretoken": self.csrf(verify_page)}
        with self.client.post(url, data, name="两步验证", catch_response=True) as answer:
            if "2fa" in answer.url:
                answer.failure("两步验证失败")

    def page(self, url: str, name: str) -> Any:
        with self.client.get(url, name=name, catch_response=True) as answer:
            if answer.status_code != 200 or "/login/" in answer.url:
                answer.failure(f"{answer.status_code} {answer.url}")
            return answer


class MemberUser(BenchUser):
    """A member: looks at their reports, writes a draft, saves it, then submits it."""

    kind = "members"

    @task(2)
    def mine(self) -> None:
        self.page("/reports/", "我的信息")

    @task(3)
    def write_and_submit(self) -> None:
        form = self.page("/reports/new/", "撰写信息")
        if form.status_code != 200:
            return  # counted as the page's failure; a POST without its form would only add a 403
        n = random.randrange(10**6)
        data = {
            "csrfmiddlewaretoken": self.csrf(form.text),
            "title": f"关于完善社区养老服务设施的建议（压测 {n}）",
            **TEXT,
            "lead": self.account["member_id"],
            "submitting_unit": self.account["unit_id"],
            "category": PLAN["category_id"],
            "urgency": "routine",
            "consent_to_publish": "yes",
            "save": "1",
        }
        with self.client.post(
            "/reports/new/", data, name="保存草稿", allow_redirects=False, catch_response=True
        ) as draft:
            edit_url = draft.headers.get("Location", "")
            if draft.status_code != 302 or "/edit/" not in edit_url:
                draft.failure(f"草稿未保存：{draft.status_code}")
                return
        self.submit(edit_url, data)

    def submit(self, edit_url: str, data: dict[str, Any]) -> None:
        form = self.page(edit_url, "修改草稿")
        found = BASE_REVISION.search(form.text)
        data = {**data, "csrfmiddlewaretoken": self.csrf(form.text), "submit": "1"}
        data.pop("save")
        data["base_revision"] = found.group(1) if found else "1"
        with self.client.post(
            edit_url, data, name="保存并报送", allow_redirects=False, catch_response=True
        ) as answer:
            done = SUBMITTED.search(answer.headers.get("Location", ""))
            if answer.status_code == 302 and done:
                ACKNOWLEDGED.append(int(done.group(1)))
            else:
                answer.failure(f"报送未确认：{answer.status_code} {answer.headers.get('Location')}")


class EditorUser(BenchUser):
    """An editor: the queue, a report on the workbench, now and then 受理 one."""

    kind = "editors"
    queue: list[int]

    def on_start(self) -> None:
        self.queue = []
        super().on_start()

    @task(3)
    def triage(self) -> None:
        answer = self.page("/office/triage/?state=submitted&order=arrival", "稿件处理（待受理）")
        self.queue = [int(pk) for pk in TRIAGE_LINK.findall(answer.text)]

    @task(1)
    def triage_default(self) -> None:
        self.page("/office/triage/", "稿件处理")

    @task(3)
    def workbench(self) -> None:
        if self.queue:
            self.page(f"/office/reports/{random.choice(self.queue)}/", "编辑工作台")

    @task(1)
    def accept(self) -> None:
        if not self.queue:
            return
        pk = self.queue.pop(random.randrange(len(self.queue)))
        bench = self.page(f"/office/reports/{pk}/", "编辑工作台")
        data = {"csrfmiddlewaretoken": self.csrf(bench.text), "note": ""}
        with self.client.post(
            f"/office/reports/{pk}/act/accept/",
            data,
            name="受理",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"受理：{answer.status_code}")


class LeaderUser(BenchUser):
    """A leader: the dashboard, the reader, the rankings."""

    kind = "leaders"

    @task(3)
    def dashboard(self) -> None:
        self.page("/insights/", "统计分析")

    @task(1)
    def reader(self) -> None:
        self.page("/bulletins/reader/", "刊物阅览")

    @task(1)
    def rankings(self) -> None:
        self.page("/scoring/rankings/", "排名")


class FloorUser(HttpUser):
    """The framework floor: a view that touches no database, served the same way."""

    def on_start(self) -> None:
        behind_proxy(self.client, self.host)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz（框架下限）")


USER_CLASSES: dict[str, Callable[..., Any]] = {
    "member": MemberUser,
    "editor": EditorUser,
    "leader": LeaderUser,
    "floor": FloorUser,
}

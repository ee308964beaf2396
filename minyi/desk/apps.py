from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The pages people work at: members' reports and the office's queues and workbench.

    They sit above the domain apps because one page composes several of them (a report's
    clock from ``deadlines``, its bulletin issue, similar reports from ``search``).
    """

    name = "minyi.desk"
    verbose_name = "工作台"

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "minyi.people"
    verbose_name = "人员与单位"

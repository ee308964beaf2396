from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "minyi.outcomes"
    verbose_name = "报送与采用"

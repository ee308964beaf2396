from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "minyi.accounts"
    label = "accounts"
    verbose_name = "登录与账号安全"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # Registers the system check and the daily clean-up of ended sessions.
        from minyi.accounts import (
            checks,  # noqa: F401
            tasks,  # noqa: F401
        )
        from minyi.accounts.sessions import note_session_on_login

        # Every way into a session (the login page, the test client, force_login)
        # goes through django.contrib.auth.login, so every session gets its row.
        user_logged_in.connect(note_session_on_login, dispatch_uid="minyi_accounts_session")

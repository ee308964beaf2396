from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "minyi.accounts"
    label = "accounts"
    verbose_name = "登录与账号安全"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from minyi.accounts import checks  # noqa: F401  (registers the system check)
        from minyi.accounts.sessions import note_session_on_login

        # Every way into a session (the login page, the test client, force_login)
        # goes through django.contrib.auth.login, so every session gets its row.
        user_logged_in.connect(note_session_on_login, dispatch_uid="minyi_accounts_session")

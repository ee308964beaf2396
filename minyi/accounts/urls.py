from django.urls import path

from minyi.accounts import views_account, views_admin, views_otp

app_name = "accounts"

urlpatterns = [
    path("", views_account.home, name="home"),
    path("password/", views_account.password_change, name="password_change"),
    path("sessions/<int:pk>/end/", views_account.end_session, name="end_session"),
    path("sessions/end-all/", views_account.logout_everywhere, name="logout_everywhere"),
    path("2fa/verify/", views_otp.verify, name="otp_verify"),
    path("2fa/enrol/", views_otp.enrol, name="otp_enrol"),
    path("2fa/qr.svg", views_otp.qr, name="otp_qr"),
    path("2fa/recovery-codes/", views_otp.recovery_codes, name="recovery_codes"),
    path("security/", views_admin.security, name="security"),
    path("security/unlock/", views_admin.unlock, name="unlock"),
    path("security/users/<int:pk>/reset-2fa/", views_admin.reset_second_factor, name="otp_reset"),
]

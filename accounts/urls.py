from django.urls import path

from accounts import views

# Listed before django.contrib.auth.urls, so the log-in and the password reset link are ours.
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("signup/", views.signup, name="signup"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("language/", views.switch_language, name="switch_language"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
]

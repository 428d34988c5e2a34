from django.urls import path

from accounts import views

# Listed before django.contrib.auth.urls, so /accounts/login/ is our throttled view.
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("signup/", views.signup, name="signup"),
]

from django.urls import path

from daily import views

app_name = "daily"
urlpatterns = [
    path("quizzes/<slug:slug>/leaderboard/", views.leaderboard, name="leaderboard"),
    path("teach/classes/<id:pk>/quizzes/<slug:slug>/leaderboard/", views.class_leaderboard, name="class_leaderboard"),
    path("profile/", views.profile, name="profile"),
]

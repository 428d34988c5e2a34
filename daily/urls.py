from django.urls import path

from daily import views

app_name = "daily"
urlpatterns = [
    path("quizzes/<slug:slug>/leaderboard/", views.leaderboard, name="leaderboard"),
    path("teach/classes/<id:pk>/quizzes/<slug:slug>/leaderboard/", views.class_leaderboard, name="class_leaderboard"),
    path("profile/", views.profile, name="profile"),
    path("attempts/<id:attempt_id>/questions/<id:number>/report/", views.report_problem, name="report"),
    path("reports/<id:report_id>/dismiss/", views.dismiss_notice, name="dismiss_notice"),
]

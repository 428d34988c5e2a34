from django.urls import path

from teaching import views

app_name = "teaching"
report = "teach/classes/<id:pk>/quizzes/<slug:slug>/"
urlpatterns = [
    path("teach/", views.index, name="index"),
    path("teach/classes/new/", views.class_create, name="class_create"),
    path("teach/classes/<id:pk>/", views.class_detail, name="class"),
    path("teach/classes/<id:pk>/assign/", views.assign, name="assign"),
    path("teach/classes/<id:pk>/learners/<id:user_id>/remove/", views.remove_learner, name="remove_learner"),
    path("teach/classes/<id:pk>/learners/<id:user_id>/time/", views.time_factor, name="time_factor"),
    path("teach/quizzes/<slug:slug>/print/", views.print_paper, name="print_paper"),
    path(report, views.scores, name="scores"),
    path(report + "items/", views.items, name="items"),
    path(report + "matrix/", views.matrix, name="matrix"),
    path(report + "unassign/", views.unassign, name="unassign"),
    path(report + "attempts/<id:attempt_id>/", views.attempt_review, name="attempt"),
    path(report + "export/<slug:kind>.<slug:fmt>", views.export, name="export"),
    path("classes/join/", views.join, name="join"),
    path("classes/join/<str:code>/", views.join_link, name="join_link"),
]

from django.urls import path

from quiz import paper_views, views

app_name = "quiz"
urlpatterns = [
    path("", views.quiz_list, name="list"),
    path("quizzes/<slug:slug>/", views.quiz_detail, name="detail"),
    path("quizzes/<slug:slug>/start/", views.start, name="start"),
    path("attempts/", views.my_attempts, name="attempts"),
    path("attempts/<id:attempt_id>/", views.play, name="play"),
    path("attempts/<id:attempt_id>/answer/", views.answer, name="answer"),
    path("attempts/<id:attempt_id>/questions/<id:number>/", views.feedback, name="feedback"),
    path("attempts/<id:attempt_id>/result/", views.result, name="result"),
    path("attempts/<id:attempt_id>/paper/", paper_views.paper, name="paper"),
    path("attempts/<id:attempt_id>/paper/<id:number>/", paper_views.question, name="paper_question"),
    path("attempts/<id:attempt_id>/paper/submit/", paper_views.submit, name="paper_submit"),
]

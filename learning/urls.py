from django.urls import path

from learning import views

app_name = "learning"
urlpatterns = [
    path("progress/", views.progress, name="progress"),
    path("progress/topics/<id:topic_id>/practise/", views.practise_topic, name="practise"),
    path("revise/", views.notebook, name="notebook"),
    path("revise/start/", views.revise, name="revise"),
    path("revise/attempts/<id:attempt_id>/mistakes/", views.retake_mistakes, name="retake"),
    path("revise/questions/<id:question_id>/add/", views.add_card, name="add"),
    path("revise/questions/<id:question_id>/remove/", views.remove_card, name="remove"),
]

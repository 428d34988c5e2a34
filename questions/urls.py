from django.urls import path

from questions import views

app_name = "questions"
urlpatterns = [
    path("<slug:slug>/", views.source_detail, name="source"),
]

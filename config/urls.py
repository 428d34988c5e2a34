from django.contrib import admin
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _

from config.converters import DatabaseIdConverter

# <id:pk> in every app's URLs: a database id, 404 (not an overflow) for absurd numbers.
register_converter(DatabaseIdConverter, "id")

admin.site.site_header = _("Pariksha administration")
admin.site.site_title = _("Pariksha admin")
admin.site.index_title = _("Pariksha: the question bank, quizzes, classes and people")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("sources/", include("questions.urls")),
    path("", include("ops.urls")),
    path("", include("quiz.urls")),
    path("", include("teaching.urls")),
    path("", include("daily.urls")),
    path("", include("learning.urls")),
]

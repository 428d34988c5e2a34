from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeachingConfig(AppConfig):
    name = "teaching"
    verbose_name = _("Classes, assignments and reports")

    def ready(self):
        from quiz import key_holds
        from teaching import signals  # noqa: F401  (a sign-up from a join link joins the class)
        from teaching.services import assigned_quizzes

        # Quiz holds back the keys of exam-style quizzes assigned to a learner's classes; it
        # asks this app which those are, without importing it.
        key_holds.register_assignments(assigned_quizzes)

"""A quiz's title and description in Hindi beside English (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from quiz.models import Quiz


@register(Quiz)
class QuizTranslation(TranslationOptions):
    fields = ("title", "description")

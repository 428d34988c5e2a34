"""Which texts of the question bank have a Hindi column beside the English (django-modeltranslation).
The key is shared: an option stays one row, whatever language its text is read in."""

from modeltranslation.translator import TranslationOptions, register

from questions.models import Choice, GiveawayGroup, Passage, Question, Source, Topic


@register(Source)
class SourceTranslation(TranslationOptions):
    fields = ("title",)


@register(Passage)
class PassageTranslation(TranslationOptions):
    fields = ("heading", "text")


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("stem", "explanation")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("text",)


@register(GiveawayGroup)
class GiveawayGroupTranslation(TranslationOptions):
    fields = ("name",)

"""Quizzes in Django admin: their questions in order, timing, marking, feedback, shuffling and
whether learners see them. Attempts and responses are learners' records and are not edited here."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Count

from questions.models import GiveawayGroup
from quiz.models import Quiz, QuizQuestion


def giveaway_warnings(quiz: Quiz) -> list[str]:
    """What a fixed quiz's admin page warns of: two or more questions of one giveaway group,
    which every attempt would then hold together. A random draw keeps them apart by itself."""
    if quiz.pk is None or quiz.selection != Quiz.Selection.FIXED:
        return []
    question_ids = quiz.quiz_questions.values_list("question_id", flat=True)
    return [
        f"Questions {_listed(ids)} give each other away (giveaway group “{group}”), and every "
        "attempt at this fixed quiz holds them all: keep one of them and take the others out."
        for group, ids in GiveawayGroup.objects.clashes(question_ids)
    ]


def _listed(ids: list[int]) -> str:
    names = [f"#{pk}" for pk in ids]
    return f"{', '.join(names[:-1])} and {names[-1]}"


class ChosenQuestionSelect(AutocompleteSelect):
    """Django's autocomplete select, told the labels of the questions already in the quiz.
    Left alone, each row looks its own question up: a 100-question mock would cost 100 queries
    to open. A question not in `labels` (added on a form sent back with errors) is looked up as
    Django does."""

    labels: dict[str, str] = {}

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if v not in self.choices.field.empty_values]
        if not all(pk in self.labels for pk in chosen):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for pk in chosen:
            options.append(self.create_option(name, pk, self.labels[pk], set(chosen), len(options)))
        return [(None, options, 0)]


class QuizQuestionInline(admin.TabularInline):
    model = QuizQuestion
    fields = ("position", "question")
    autocomplete_fields = ("question",)
    ordering = ("position",)
    extra = 0
    verbose_name = "question"
    verbose_name_plural = "questions, in order (a fixed quiz; 0 comes first)"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "question":
            kwargs["widget"] = ChosenQuestionSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            field = formset.form.base_fields["question"]
            select = getattr(field.widget, "widget", field.widget)  # inside admin's "+" wrapper
            chosen = obj.quiz_questions.select_related("question")
            select.labels = {str(row.question_id): field.label_from_instance(row.question) for row in chosen}
        return formset


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "is_published",
        "selection",
        "question_count",
        "seconds_per_question",
        "marking",
        "feedback",
    )
    list_filter = ("is_published", "selection", "feedback")
    search_fields = ("title", "slug", "description")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [QuizQuestionInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "description", "is_published")}),
        ("Questions", {"fields": ("selection", "draw_count", "draw_topic", "draw_source")}),
        ("Time and marking", {"fields": ("seconds_per_question", "marks_correct", "marks_wrong")}),
        ("Delivery", {"fields": ("feedback", "shuffle_questions", "shuffle_options", "ask_confidence")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("quiz_questions"))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for warning in giveaway_warnings(form.instance):
            self.message_user(request, warning, messages.WARNING)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        quiz = self.get_object(request, unquote(object_id))
        warnings = giveaway_warnings(quiz) if quiz is not None else []
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "giveaway_warnings": warnings})

    @admin.display(description="Fixed questions", ordering="question_count")
    def question_count(self, quiz: Quiz) -> int:
        return quiz.question_count

    @admin.display(description="Marking")
    def marking(self, quiz: Quiz) -> str:
        return f"+{quiz.marks_correct} / −{quiz.marks_wrong}"

"""Quizzes in Django admin: their questions in order, timing, marking, feedback, shuffling and
whether learners see them. Attempts and responses are learners' records and are not edited here."""

from django.contrib import admin
from django.db.models import Count

from quiz.models import Quiz, QuizQuestion


class QuizQuestionInline(admin.TabularInline):
    model = QuizQuestion
    fields = ("position", "question")
    autocomplete_fields = ("question",)
    ordering = ("position",)
    extra = 0
    verbose_name = "question"
    verbose_name_plural = "questions, in order (a fixed quiz; 0 comes first)"


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
        ("Delivery", {"fields": ("feedback", "shuffle_questions", "shuffle_options")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("quiz_questions"))

    @admin.display(description="Fixed questions", ordering="question_count")
    def question_count(self, quiz: Quiz) -> int:
        return quiz.question_count

    @admin.display(description="Marking")
    def marking(self, quiz: Quiz) -> str:
        return f"+{quiz.marks_correct} / −{quiz.marks_wrong}"

"""Sources with their passages, and topics, in Django admin. The questions themselves are
curated in curation/admin.py, which needs the quiz app (answer counts, regrading, building a
quiz from a selection).
"""

from django.contrib import admin
from django.db import models
from django.db.models import Count

from questions.models import GiveawayGroup, Passage, Source, Topic


class PassageInline(admin.StackedInline):
    model = Passage
    fields = ("position", "heading", "text")
    extra = 0


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "publisher", "published_on", "question_count")
    search_fields = ("title", "slug", "publisher")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [PassageInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description="Questions", ordering="question_count")
    def question_count(self, source: Source) -> int:
        return source.question_count


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    """Passages are edited with their source; this serves the question form's searchable
    passage picker (autocomplete by the paragraph's words, heading or source)."""

    list_display = ("__str__", "heading")
    search_fields = ("text", "heading", "source__slug", "source__title")
    list_select_related = ("source",)

    def has_module_permission(self, request) -> bool:
        return False  # not listed on admin's index: sources hold their passages


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "question_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description="Questions", ordering="question_count")
    def question_count(self, topic: Topic) -> int:
        return topic.question_count


@admin.register(GiveawayGroup)
class GiveawayGroupAdmin(admin.ModelAdmin):
    """Questions that give each other away: a random draw takes at most one of a group, and a
    fixed quiz holding two is flagged on its admin page."""

    list_display = ("name", "size")
    search_fields = ("name", "note")
    fields = ("name", "questions", "note")
    autocomplete_fields = ("questions",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(size=Count("questions"))

    @admin.display(description="Questions", ordering="size")
    def size(self, group: GiveawayGroup) -> int:
        return group.size

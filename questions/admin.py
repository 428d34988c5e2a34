"""Sources with their passages, and topics, in Django admin. The questions themselves are
curated in curation/admin.py, which needs the quiz app (answer counts, regrading, building a
quiz from a selection).
"""

from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy, ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from lib.translated import columns_in_every_language
from questions.articles import plan_article, save_article
from questions.forms import ArticleConfirmForm, ArticleForm
from questions.models import GiveawayGroup, Passage, Source, Topic

PASSAGE_PERMISSIONS = ["questions.add_passage", "questions.change_passage", "questions.delete_passage"]


class PassageInline(TranslationStackedInline):
    model = Passage
    fields = ("position", "heading", "text")
    extra = 0


@admin.register(Source)
class SourceAdmin(TabbedTranslationAdmin):
    list_display = ("title", "slug", "publisher", "published_on", "question_count")
    search_fields = (*columns_in_every_language("title"), "slug", "publisher")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [PassageInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description=gettext_lazy("Questions"), ordering="question_count")
    def question_count(self, source: Source) -> int:
        return source.question_count

    # --- an article from its text: paste or upload, preview, confirm -----------------------

    def get_urls(self):
        view = self.admin_site.admin_view(self.article_view)
        return [
            path("add-from-text/", view, name="questions_source_add_from_text"),
            path("<path:object_id>/import-text/", view, name="questions_source_import_text"),
            *super().get_urls(),
        ]

    def article_view(self, request, object_id: str | None = None):
        """A new article (`object_id` None) or a re-import into an existing one. Nothing is
        written until the editor confirms the preview; the confirmation is checked again."""
        source = None
        if object_id is not None:
            source = self.get_object(request, unquote(object_id))
            if source is None:
                raise Http404(gettext("No such article."))
            allowed = self.has_change_permission(request, source)
        else:
            allowed = self.has_add_permission(request)
        if not (allowed and request.user.has_perms(PASSAGE_PERMISSIONS)):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "source": source,
            "title": gettext("Re-import “%(title)s” from text") % {"title": source} if source else gettext("Add article from text"),
        }
        initial = {"title": source.title, "published_on": source.published_on} if source else {}
        form, status = ArticleForm(source=source, initial=initial), 200
        if request.method == "POST" and "confirm" in request.POST:
            confirm = ArticleConfirmForm(request.POST, source=source)
            if confirm.is_valid():
                return self._save_article(request, confirm.cleaned_data)
            context["problems"] = [e for errors in confirm.errors.values() for e in errors]
            status = 400
        elif request.method == "POST":
            form = ArticleForm(request.POST, request.FILES, source=source, initial=initial)
            if form.is_valid():
                data = form.cleaned_data
                context["plan"] = plan_article(source, data["paragraphs"])
                context["article_title"] = data["title"]
                context["headings"] = len({p.heading for p in data["paragraphs"] if p.heading})
                context["confirm_form"] = ArticleConfirmForm(
                    source=source,
                    initial={key: data[key] for key in ("slug", "title", "published_on", "text", "kind")},
                )
            else:
                status = 400
        context["form"] = form
        return TemplateResponse(request, "admin/questions/source/import_article.html", context, status=status)

    def _save_article(self, request, data):
        saved = save_article(data["slug"], data["title"], data["paragraphs"], data["published_on"])
        LogEntry.objects.log_actions(
            request.user.pk,
            [saved.source],
            ADDITION if saved.created else CHANGE,
            change_message=gettext("Passages from a pasted or uploaded article."),
        )
        counts = {"kept": saved.kept, "added": saved.added, "removed": saved.removed}
        self.message_user(
            request,
            (gettext("Created “%(title)s” with %(added)s passages.") if saved.created else gettext(
                "Updated “%(title)s”: %(kept)s passages kept, %(added)s new, %(removed)s removed."
            ))
            % {"title": saved.source.title, **counts},
        )
        if saved.changed:
            self.message_user(
                request,
                ngettext(
                    "%(count)s cited passage is no longer in the article: it is kept at the end for the questions that cite it. Check them.",
                    "%(count)s cited passages are no longer in the article: they are kept at the end for the questions that cite them. Check them.",
                    len(saved.changed),
                )
                % {"count": len(saved.changed)},
                messages.WARNING,
            )
        return redirect(reverse("admin:questions_source_change", args=[saved.source.pk]))


@admin.register(Passage)
class PassageAdmin(TabbedTranslationAdmin):
    """Passages are edited with their source; this serves the question form's searchable
    passage picker (autocomplete by the paragraph's words, heading or source)."""

    list_display = ("__str__", "heading")
    search_fields = (*columns_in_every_language("text", "heading", "source__title"), "source__slug")
    list_select_related = ("source",)

    def has_module_permission(self, request) -> bool:
        return False  # not listed on admin's index: sources hold their passages


@admin.register(Topic)
class TopicAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug", "question_count")
    search_fields = (*columns_in_every_language("name"), "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description=gettext_lazy("Questions"), ordering="question_count")
    def question_count(self, topic: Topic) -> int:
        return topic.question_count


@admin.register(GiveawayGroup)
class GiveawayGroupAdmin(TabbedTranslationAdmin):
    """Questions that give each other away: a random draw takes at most one of a group, and a
    fixed quiz holding two is flagged on its admin page."""

    list_display = ("name", "size")
    search_fields = (*columns_in_every_language("name"), "note")
    fields = ("name", "questions", "note")
    autocomplete_fields = ("questions",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(size=Count("questions"))

    @admin.display(description=gettext_lazy("Questions"), ordering="size")
    def size(self, group: GiveawayGroup) -> int:
        return group.size

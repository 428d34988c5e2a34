"""Curating the bank in Django admin: questions with their options, bulk actions, imports
(spreadsheets through django-import-export, GIFT and Aiken through our own preview-then-confirm
page) and exports. It sits above quiz, whose records it reads and writes: how often a question
was answered, the regrade when its key changes, the draft quiz built from a selection. Sources
and topics, which need nothing of quiz, are in questions/admin.py.

The question list stays at a fixed number of queries however many rows it shows: topic and
source come by select_related, and the answer counts are correlated subqueries.
"""

import uuid

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy as _, gettext_noop, ngettext
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ExportForm
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from curation.forms import (
    ChoiceForm,
    ChoiceFormSet,
    MoveToTopicForm,
    QuestionAdminForm,
    QuestionConfirmImportForm,
    QuestionImportForm,
    TextConfirmForm,
    TextImportForm,
)
from curation.regrade import correct_choice, has_graded_answers, key_changed, regrade_question
from lib.translated import columns_in_every_language
from questions.formats import rules
from questions.formats.resources import QuestionResource
from questions.formats.rows import BankImportError, decode_utf8
from questions.formats.service import (
    ENGLISH,
    EXTENSIONS,
    HINDI,
    check_rows,
    check_translations,
    export_questions,
    import_rows,
    import_translations,
    new_topics,
    read_text,
)
from questions.formats.tabular import QuestionCSV, QuestionJSON, QuestionXLSX
from questions.models import Choice, GiveawayGroup, Passage, Question
from quiz.models import Quiz, QuizQuestion, Response
from quiz.signals import answers_changed

Outcome = Response.Outcome
# Options whose position changes are parked this far up while the others are saved, so that
# swapping (a) and (b) never holds two options at one position.
PARKED = 1000
# Questions named on the move-to-topic page; a selection across pages may hold thousands.
MOVE_LISTED = 100


class ChoiceInline(TranslationTabularInline):
    model = Choice
    form = ChoiceForm
    formset = ChoiceFormSet
    fields = ("position", "text", "is_correct")
    ordering = ("position",)
    max_num = rules.MAX_OPTIONS
    verbose_name = _("option")
    verbose_name_plural = _("options (exactly one correct)")

    def get_extra(self, request, obj=None, **kwargs):
        return 4 if obj is None else 0


class GiveawayGroupInline(admin.TabularInline):
    """The giveaway groups this question is in: no attempt holds two questions of a group."""

    model = GiveawayGroup.questions.through
    fields = ("giveawaygroup",)
    autocomplete_fields = ("giveawaygroup",)
    extra = 0
    verbose_name = _("giveaway group")
    verbose_name_plural = _("giveaway groups (questions that give this one away, or that it gives away)")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The many-to-many's own table names its column after the model: "giveawaygroup".
        if db_field.name == "giveawaygroup":
            kwargs["label"] = _("giveaway group")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _answer_count(**filters) -> Coalesce:
    counted = (
        Response.objects.filter(question=OuterRef("pk"), **filters)
        .order_by()
        .values("question")
        # COUNT(*), not of a column: the (question, outcome) index alone answers it.
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _questions(count: int) -> str:
    return ngettext("%(count)d question", "%(count)d questions", count) % {"count": count}


def publish_problems(question: Question) -> list[str]:
    """What keeps a question from being published: the same rules as the change form."""
    choices = sorted(question.choices.all(), key=lambda c: c.position)
    problems = [
        rules.explanation_problem(question.explanation, publishing=True),
        rules.option_count_problem(len(choices), question.style),
        rules.correct_answer_problem([i for i, c in enumerate(choices) if c.is_correct], len(choices)),
    ]
    return [p for p in problems if p]


class HindiFilter(admin.SimpleListFilter):
    """Questions a Hindi reader would meet partly in English: no Hindi stem, an explanation
    without its Hindi, or an option without Hindi (QuestionQuerySet.lacking_hindi)."""

    title = _("Hindi")
    parameter_name = "hindi"

    def lookups(self, request, model_admin):
        return [("missing", _("missing")), ("complete", _("complete"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.lacking_hindi()
        if self.value() == "complete":
            return queryset.with_hindi()
        return queryset


def _bound_the_preview(context: dict) -> None:
    """The preview page shows the first rows, problems and new topics of an import, and how
    many more there are: a file of thousands of questions once made a page of 29 MB. The whole
    file is checked all the same, and imported whole on confirm."""
    # New topics are cut in their template (_new_topics.html), which the spreadsheet page shares.
    for name, limit in (("planned", rules.PREVIEW_ROWS), ("matched", rules.PREVIEW_ROWS), ("problems", rules.PREVIEW_PROBLEMS)):
        items = context.get(name) or []
        context[f"{name}_count"] = len(items)
        context[f"{name}_not_shown"] = max(0, len(items) - limit)
        if items:
            context[name] = items[:limit]


def _log(request, objects, message: str, flag=CHANGE) -> None:
    if objects:
        LogEntry.objects.log_actions(request.user.pk, objects, flag, change_message=message)


@admin.register(Question)
class QuestionAdmin(ImportExportModelAdmin, TabbedTranslationAdmin):
    form = QuestionAdminForm
    # A searchable picker that shows each paragraph's words (PassageAdmin's search).
    autocomplete_fields = ("passage",)
    inlines = [ChoiceInline, GiveawayGroupInline]
    fieldsets = (
        (None, {"fields": ("source", "passage", "passage_contradicts_key", "topic")}),
        (_("Question"), {"fields": ("stem", "explanation")}),
        (_("Curation"), {"fields": ("style", "difficulty", "status")}),
    )
    list_display = (
        "stem_excerpt",
        "topic",
        "difficulty",
        "status",
        "source",
        "times_answered",
        "percent_correct",
    )
    list_filter = ("topic", "difficulty", "status", "source", "passage_contradicts_key", HindiFilter)
    search_fields = columns_in_every_language("stem", "choices__text", "explanation")
    list_select_related = ("topic", "source")
    list_per_page = 100
    actions = [
        "publish",
        "unpublish",
        "archive",
        "move_to_topic",
        "build_quiz",
        "export_gift",
        "export_aiken",
        "export_gift_hindi",
        "export_aiken_hindi",
    ]
    change_list_template = "admin/questions/question/change_list.html"
    import_template_name = "admin/questions/question/import.html"

    # django-import-export: spreadsheets read and written our way (formats/tabular.py).
    resource_classes = [QuestionResource]
    formats = [QuestionCSV, QuestionXLSX, QuestionJSON]
    import_form_class = QuestionImportForm
    confirm_form_class = QuestionConfirmImportForm
    export_form_class = ExportForm

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                times_answered=_answer_count(outcome__in=[Outcome.CORRECT, Outcome.WRONG]),
                times_correct=_answer_count(outcome=Outcome.CORRECT),
            )
        )

    def get_export_queryset(self, request):
        # The list turns a filter on no field into "?e=1"; the export view would raise a 500.
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters:
            raise BadRequest(gettext("The export's filters name a field the question list does not have.")) from None

    def response_action(self, request, queryset):
        # Django filters the selection by primary key as sent: a forged non-id would be a 500.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(not (value.isascii() and value.isdigit()) or len(value) > 18 for value in selected):
            self.message_user(
                request, gettext("The selection held something that is not a question."), messages.ERROR
            )
            return redirect(request.get_full_path())
        return super().response_action(request, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "passage":
            # A passage's name shows its source's slug: fetch them together.
            kwargs["queryset"] = Passage.objects.select_related("source")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- list columns ----------------------------------------------------------------------

    @admin.display(description=_("Stem"))
    def stem_excerpt(self, question: Question) -> str:
        return Truncator(" ".join(question.stem.split())).chars(90)

    @admin.display(description=_("Answered"), ordering="times_answered")
    def times_answered(self, question: Question) -> int:
        return question.times_answered

    @admin.display(description=_("Correct (%)"))
    def percent_correct(self, question: Question) -> str:
        if not question.times_answered:
            return "—"
        return f"{100 * question.times_correct / question.times_answered:.0f}%"

    # --- saving: options and regrading -----------------------------------------------------

    def save_formset(self, request, form, formset, change):
        if formset.model is not Choice:
            return super().save_formset(request, form, formset, change)
        choices = formset.save(commit=False)
        for choice in formset.deleted_objects:
            choice.delete()
        # The database holds at most one correct option, and one option per position, at every
        # moment, and rows are saved one at a time: park moved options, unmark before marking.
        moved = [
            f.instance.pk
            for f in formset.initial_forms
            if "position" in f.changed_data and f.instance.pk and f not in formset.deleted_forms
        ]
        Choice.objects.filter(pk__in=moved).update(position=F("position") + PARKED)
        for choice in sorted(choices, key=lambda c: c.is_correct):
            choice.save()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        previous = correct_choice(form.instance) if change else None
        super().save_related(request, form, formsets, change)
        if not change:
            return
        if "topic" in form.changed_data:
            # Its answers now count under the new topic: progress totals are worked out again.
            answers_changed.send(sender=Question, question_ids=[form.instance.pk], topic_ids={form.initial["topic"]})
        current = correct_choice(form.instance)
        if current == previous:
            return
        if has_graded_answers(form.instance):
            regrade = regrade_question(form.instance, previous=previous, user=request.user)
            self.message_user(request, regrade.message, messages.WARNING)
        key_changed.send(sender=Question, question=form.instance, previous=previous, current=current)

    # --- deleting: never a question learners have answered ---------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        question = self.get_object(request, unquote(object_id))
        if question is not None and question.responses.exists():
            self.message_user(
                request,
                gettext(
                    "“%(question)s” cannot be deleted: learners have answered it, and their past "
                    "reviews show it. Archive it instead."
                )
                % {"question": question},
                messages.ERROR,
            )
            return redirect(reverse("admin:questions_question_change", args=[question.pk]))
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (QuestionAdmin.delete_unanswered, name, description)
        return actions

    def delete_unanswered(self, request, queryset):
        answered = sorted(
            set(
                Response.objects.filter(question__in=queryset.values("pk")).values_list(
                    "question_id", flat=True
                )
            )
        )
        if answered:
            self.message_user(
                request,
                gettext(
                    "Nothing was deleted: learners have answered %(count)d of the selected "
                    "questions (%(named)s). Archive them instead."
                )
                % {"count": len(answered), "named": ", ".join(f"#{pk}" for pk in answered)},
                messages.ERROR,
            )
            return None
        return delete_selected(self, request, queryset)

    # --- bulk actions ----------------------------------------------------------------------

    def _update(self, request, queryset, done: str, params: dict | None = None, **changes) -> int:
        """Apply `changes` to the selected questions, log it on each, and say so. `done` (marked
        with gettext_noop, filled with `params`) is logged in English, which every editor's
        history reads alike, and said to this editor in their language."""
        questions = list(queryset)
        Question.objects.filter(pk__in=[q.pk for q in questions]).update(
            **changes, updated_at=timezone.now()
        )
        params = params or {}
        _log(request, questions, f"{done % params} (bulk action).")
        said = gettext(done) % params
        self.message_user(
            request, gettext("%(done)s: %(questions)s.") % {"done": said, "questions": _questions(len(questions))}
        )
        return len(questions)

    @admin.action(description=_("Publish selected questions"), permissions=["change"])
    def publish(self, request, queryset):
        ready, held = [], []
        for question in queryset.prefetch_related("choices"):
            problems = publish_problems(question)
            if problems:
                held.append(question)
                self.message_user(
                    request,
                    gettext("Not published: #%(id)s “%(question)s”. %(problems)s")
                    % {"id": question.pk, "question": question, "problems": " ".join(problems)},
                    messages.ERROR,
                )
            else:
                ready.append(question)
        if ready:
            self._update(request, ready, gettext_noop("Published"), status=Question.Status.PUBLISHED)

    @admin.action(description=_("Unpublish selected questions (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._update(request, queryset, gettext_noop("Unpublished"), status=Question.Status.DRAFT)

    @admin.action(description=_("Archive selected questions"), permissions=["change"])
    def archive(self, request, queryset):
        self._update(request, queryset, gettext_noop("Archived"), status=Question.Status.ARCHIVED)

    @admin.action(description=_("Move selected questions to a topic…"), permissions=["change"])
    def move_to_topic(self, request, queryset):
        form = MoveToTopicForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            topic = form.cleaned_data["topic"]
            with transaction.atomic():
                moved = dict(queryset.values_list("pk", "topic_id"))
                moved_to = gettext_noop("Moved to topic “%(topic)s”")
                self._update(request, queryset, moved_to, {"topic": topic}, topic=topic)
                # Their answers now count under `topic`: progress totals are worked out again.
                answers_changed.send(sender=Question, question_ids=list(moved), topic_ids=set(moved.values()))
            return None
        count = queryset.count()
        shown = list(queryset[:MOVE_LISTED])
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Move questions to a topic"),
            "opts": self.opts,
            "form": form,
            "count": count,
            "questions": shown,
            "more": count - len(shown),
            # The form sends back what the list sent: the ids ticked on its page, and whether
            # "select all" took the whole filtered list. One field per question would not do:
            # Django refuses a form of more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) fields.
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": "1" if request.POST.get("select_across") == "1" else "0",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/questions/question/move_to_topic.html", context)

    def has_add_quiz_permission(self, request) -> bool:
        return request.user.has_perm("quiz.add_quiz")

    @admin.action(
        description=_("Build a new draft quiz from selected questions"), permissions=["add_quiz"]
    )
    def build_quiz(self, request, queryset):
        questions = list(queryset)
        if not questions:
            # Every selected question was deleted (by another editor) since the list was shown.
            self.message_user(
                request, gettext("None of the selected questions exists any more: no quiz was built."), messages.ERROR
            )
            return None
        with transaction.atomic():
            quiz = Quiz.objects.create(
                title=f"Draft quiz: {len(questions)} questions",
                slug=f"draft-{uuid.uuid4().hex[:10]}",
                selection=Quiz.Selection.FIXED,
                # The editor chose and ordered this set; shuffling stays their call.
                shuffle_questions=False,
                is_published=False,
            )
            QuizQuestion.objects.bulk_create(
                QuizQuestion(quiz=quiz, question=question, position=i)
                for i, question in enumerate(questions)
            )
            _log(request, [quiz], f"Built from {len(questions)} selected questions.", ADDITION)
        self.message_user(
            request,
            ngettext(
                "Created the draft quiz “%(quiz)s” with %(count)d question. "
                "Give it a title and publish it when it is ready.",
                "Created the draft quiz “%(quiz)s” with %(count)d questions in the order listed. "
                "Give it a title and publish it when it is ready.",
                len(questions),
            )
            % {"quiz": quiz, "count": len(questions)},
        )
        return redirect(reverse("admin:quiz_quiz_change", args=[quiz.pk]))

    def _download(self, queryset, fmt: str, language: str = ENGLISH) -> HttpResponse:
        response = HttpResponse(
            export_questions(queryset, fmt, language=language), content_type="text/plain; charset=utf-8"
        )
        suffix = "" if language == ENGLISH else f"-{language}"
        name = f"questions-{timezone.now():%Y-%m-%d}{suffix}.{EXTENSIONS[fmt]}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @admin.action(description=_("Export selected as GIFT (Moodle)"), permissions=["view"])
    def export_gift(self, request, queryset):
        return self._download(queryset, "gift")

    @admin.action(description=_("Export selected as Aiken"), permissions=["view"])
    def export_aiken(self, request, queryset):
        return self._download(queryset, "aiken")

    # A Hindi GIFT or Aiken file: the questions whose stem and options have Hindi, each with the
    # key of its English stem, to be translated further and imported back ("Language: Hindi").
    @admin.action(description=_("Export selected as GIFT, Hindi (questions with Hindi)"), permissions=["view"])
    def export_gift_hindi(self, request, queryset):
        return self._download(queryset, "gift", HINDI)

    @admin.action(description=_("Export selected as Aiken, Hindi (questions with Hindi)"), permissions=["view"])
    def export_aiken_hindi(self, request, queryset):
        return self._download(queryset, "aiken", HINDI)

    # --- spreadsheet import (django-import-export) ----------------------------------------

    def has_import_permission(self, request) -> bool:
        # An import creates questions; import-export would let anyone who can see the list in.
        return self.has_add_permission(request)

    def has_export_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def get_import_resource_kwargs(self, request, **kwargs):
        data = getattr(kwargs.get("form"), "cleaned_data", None) or {}
        if "source" not in data:
            return {}
        return {
            "source": data["source"],
            "default_topic": data.get("topic"),
            "publish": bool(data.get("publish")),
            "create_topics": bool(data.get("create_topics")),
        }

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            data = import_form.cleaned_data
            topic = data.get("topic")
            initial.update(
                source=data["source"].pk,
                topic=topic.pk if topic else None,
                publish=data.get("publish"),
                create_topics=data.get("create_topics"),
            )
        return initial

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # All or nothing: a row that turns bad between preview and confirm undoes the rest.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, BankImportError):
            form.add_error("import_file", [str(p) for p in e.problems])
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                gettext("Nothing was imported: the file no longer passes the checks. Upload it again to see why."),
                messages.ERROR,
            )
            return redirect(reverse("admin:questions_question_import"))
        topics = getattr(result, "new_topics", [])
        if topics:
            _log(request, topics, "Created by a spreadsheet import.", ADDITION)
            named = ", ".join(f"“{topic}”" for topic in topics)
            self.message_user(request, gettext("New topics created from the file: %(named)s.") % {"named": named})
        return super().process_result(result, request)

    # --- GIFT and Aiken import: upload, preview, confirm ----------------------------------

    def get_urls(self):
        return [
            path(
                "import-text/",
                self.admin_site.admin_view(self.import_text_view),
                name="questions_question_import_text",
            ),
            *super().get_urls(),
        ]

    def import_text_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import GIFT or Aiken"),
            "opts": self.opts,
        }
        form = TextImportForm()
        if request.method == "POST" and "confirm" in request.POST:
            confirm = TextConfirmForm(request.POST)
            if confirm.is_valid():
                data = confirm.cleaned_data
                fmt = data["format"].upper()
                try:
                    rows = read_text(data["text"], data["format"])
                    if data["language"] == HINDI:
                        translated = import_translations(rows, data["source"])
                    else:
                        report = import_rows(
                            rows,
                            data["source"],
                            default_topic=data["topic"],
                            publish=data["publish"],
                            create_topics=data["create_topics"],
                        )
                except BankImportError as error:
                    context["problems"] = error.problems
                else:
                    if data["language"] == HINDI:
                        questions = [m.question for m in translated.matched]
                        _log(request, questions, f"Hindi added from a {fmt} file.")
                        self.message_user(
                            request,
                            ngettext(
                                "Added the Hindi of %(count)d question in “%(source)s”.",
                                "Added the Hindi of %(count)d questions in “%(source)s”.",
                                len(questions),
                            )
                            % {"count": len(questions), "source": data["source"]},
                        )
                        return redirect(reverse("admin:questions_question_changelist"))
                    _log(request, report.new_topics, f"Created by a {fmt} import.", ADDITION)
                    _log(request, report.created, f"Imported from a {fmt} file.", ADDITION)
                    topics = ", ".join(f"“{topic}”" for topic in report.new_topics)
                    if report.status == Question.Status.PUBLISHED:
                        imported = ngettext(
                            "Imported %(count)d question into “%(source)s” as published.",
                            "Imported %(count)d questions into “%(source)s” as published.",
                            len(report.created),
                        )
                    else:
                        imported = ngettext(
                            "Imported %(count)d question into “%(source)s” as draft.",
                            "Imported %(count)d questions into “%(source)s” as draft.",
                            len(report.created),
                        )
                    imported %= {"count": len(report.created), "source": data["source"]}
                    if topics:
                        imported += " " + gettext("New topics: %(topics)s.") % {"topics": topics}
                    self.message_user(request, imported)
                    return redirect(reverse("admin:questions_question_changelist"))
        elif request.method == "POST":
            form = TextImportForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    text = decode_utf8(data["import_file"].read())
                    rows = read_text(text, data["format"])
                except BankImportError as error:
                    context["problems"] = error.problems
                else:
                    if data["language"] == HINDI:
                        matched, problems = check_translations(rows, data["source"])
                        context["matched"] = matched
                    else:
                        planned, problems = check_rows(
                            rows,
                            data["source"],
                            default_topic=data["topic"],
                            publish=data["publish"],
                            create_topics=data["create_topics"],
                        )
                        context["planned"] = planned
                        context["new_topics"] = new_topics(planned)
                    context["problems"] = problems
                    if not problems:
                        context["confirm_form"] = TextConfirmForm(
                            initial={
                                "format": data["format"],
                                "language": data["language"],
                                "source": data["source"].pk,
                                "topic": data["topic"].pk if data["topic"] else None,
                                "publish": data["publish"],
                                "create_topics": data["create_topics"],
                                "text": text,
                            }
                        )
        context["form"] = form
        _bound_the_preview(context)
        return TemplateResponse(request, "admin/questions/question/import_text.html", context)

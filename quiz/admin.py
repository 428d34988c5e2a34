"""Quizzes in Django admin: their questions in order, timing, marking, feedback, shuffling and
whether learners see them. Attempts and responses are learners' records and are not edited here."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Count
from django.utils.translation import gettext, gettext_lazy, ngettext
from modeltranslation.admin import TabbedTranslationAdmin

from accounts.forms import AdminAddUserForm, AdminChangeUserForm
from lib.translated import columns_in_every_language
from questions.models import GiveawayGroup, Question
from quiz.models import Quiz, QuizQuestion, TimeAllowance
from quiz.presets import PRESETS


def giveaway_warnings(quiz: Quiz) -> list[str]:
    """What a fixed quiz's admin page warns of: two or more questions of one giveaway group,
    which every attempt would then hold together. A random draw keeps them apart by itself."""
    if quiz.pk is None or quiz.selection != Quiz.Selection.FIXED:
        return []
    question_ids = quiz.quiz_questions.values_list("question_id", flat=True)
    return [
        gettext(
            "Questions %(listed)s give each other away (giveaway group “%(group)s”), and every "
            "attempt at this fixed quiz holds them all: keep one of them and take the others out."
        )
        % {"listed": _listed(ids), "group": group}
        for group, ids in GiveawayGroup.objects.clashes(question_ids)
    ]


# Questions named in the warning; a random draw from a large pool would otherwise list hundreds.
HINDI_NAMED = 20


def hindi_warning(quiz: Quiz) -> str | None:
    """What publishing a quiz warns of (never refuses): the questions a learner may get in it
    that lack Hindi, which a Hindi reader sees in English with a note. A fixed quiz's own
    questions; a random draw's whole pool, any of which an attempt may hold."""
    if quiz.selection == Quiz.Selection.FIXED:
        questions = Question.objects.filter(pk__in=quiz.quiz_questions.values("question_id"))
    else:
        questions = Question.objects.published()
        if quiz.draw_topic_id:
            questions = questions.filter(topic_id=quiz.draw_topic_id)
        if quiz.draw_source_id:
            questions = questions.filter(source_id=quiz.draw_source_id)
    total = questions.count()
    lacking = list(questions.lacking_hindi().order_by("pk").values_list("pk", flat=True))
    if not lacking:
        return None
    named = ", ".join(f"#{pk}" for pk in lacking[:HINDI_NAMED])
    if len(lacking) > HINDI_NAMED:
        named += " " + gettext("and %(count)d more") % {"count": len(lacking) - HINDI_NAMED}
    return ngettext(
        "“%(quiz)s”: %(count)d of its %(total)d questions lacks Hindi (%(named)s): Hindi readers "
        "will see it in English. Filter the questions by “Hindi: missing” to translate it.",
        "“%(quiz)s”: %(count)d of its %(total)d questions lack Hindi (%(named)s): Hindi readers "
        "will see them in English. Filter the questions by “Hindi: missing” to translate them.",
        len(lacking),
    ) % {"quiz": quiz, "count": len(lacking), "total": total, "named": named}


def _listed(ids: list[int]) -> str:
    names = [f"#{pk}" for pk in ids]
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


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
    verbose_name = gettext_lazy("question")
    verbose_name_plural = gettext_lazy("questions, in order (a fixed quiz; 0 comes first)")

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


class QuizAdminForm(forms.ModelForm):
    """The quiz form with a preset: picking one sets the timing, the seconds and the feedback
    to the preset's, whatever those fields say."""

    preset = forms.ChoiceField(
        choices=[("", gettext_lazy("None: use the fields below")), *((key, p.label) for key, p in PRESETS.items())],
        required=False,
        label=gettext_lazy("Preset"),
        help_text=gettext_lazy("Sets the timing, seconds per question and feedback below when the quiz is saved."),
    )

    class Meta:
        model = Quiz
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form sent without a timing (one saved before papers existed) keeps per question.
        self.fields["timing"].required = False

    def clean_timing(self) -> str:
        return self.cleaned_data.get("timing") or Quiz.Timing.QUESTION

    def clean(self):
        cleaned = super().clean()
        preset = PRESETS.get(cleaned.get("preset") or "")
        if preset is not None:
            cleaned.update(preset.fields())
            for name, value in preset.fields().items():
                setattr(self.instance, name, value)
        return cleaned


@admin.register(Quiz)
class QuizAdmin(TabbedTranslationAdmin):
    form = QuizAdminForm
    list_display = (
        "title",
        "is_published",
        "publish_at",
        "selection",
        "question_count",
        "timing",
        "seconds_per_question",
        "marking",
        "feedback",
    )
    list_filter = ("is_published", "selection", "timing", "feedback")
    date_hierarchy = "publish_at"
    view_on_site = True  # the learner's page, which editors preview before its publish time
    search_fields = (*columns_in_every_language("title", "description"), "slug")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [QuizQuestionInline]
    actions = ["publish"]
    fieldsets = (
        (None, {"fields": ("title", "slug", "description", "is_published", "publish_at")}),
        (gettext_lazy("Questions"), {"fields": ("selection", "draw_count", "draw_topic", "draw_source")}),
        (
            gettext_lazy("Time and marking"),
            {"fields": ("preset", "timing", "seconds_per_question", "marks_correct", "marks_wrong")},
        ),
        (gettext_lazy("Delivery"), {"fields": ("feedback", "shuffle_questions", "shuffle_options", "ask_confidence")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("quiz_questions"))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for warning in giveaway_warnings(form.instance):
            self.message_user(request, warning, messages.WARNING)
        if form.instance.is_published:
            self._warn_of_missing_hindi(request, form.instance)

    def _warn_of_missing_hindi(self, request, quiz: Quiz) -> None:
        warning = hindi_warning(quiz)
        if warning:
            self.message_user(request, warning, messages.WARNING)

    @admin.action(description=gettext_lazy("Publish selected quizzes"), permissions=["change"])
    def publish(self, request, queryset):
        quizzes = list(queryset)
        Quiz.objects.filter(pk__in=[q.pk for q in quizzes]).update(is_published=True)
        if quizzes:
            LogEntry.objects.log_actions(request.user.pk, quizzes, CHANGE, change_message="Published (bulk action).")
        self.message_user(
            request,
            ngettext("Published %(count)d quiz.", "Published %(count)d quizzes.", len(quizzes))
            % {"count": len(quizzes)},
        )
        for quiz in quizzes:
            self._warn_of_missing_hindi(request, quiz)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        quiz = self.get_object(request, unquote(object_id))
        warnings = giveaway_warnings(quiz) if quiz is not None else []
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "giveaway_warnings": warnings})

    @admin.display(description=gettext_lazy("Fixed questions"), ordering="question_count")
    def question_count(self, quiz: Quiz) -> int:
        return quiz.question_count

    @admin.display(description=gettext_lazy("Marking"))
    def marking(self, quiz: Quiz) -> str:
        return f"+{quiz.marks_correct} / −{quiz.marks_wrong}"


class TimeAllowanceInline(admin.StackedInline):
    """A learner's extra time, on their user page: applied to every attempt they start."""

    model = TimeAllowance
    fk_name = "user"
    fields = ("factor",)
    can_delete = False
    extra = 1
    max_num = 1


User = get_user_model()


class UserWithExtraTimeAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, TimeAllowanceInline]
    # Both refuse a username confusable with another user's (accounts/lookalikes.py).
    add_form = AdminAddUserForm
    form = AdminChangeUserForm

    def save_formset(self, request, form, formset, change):
        if formset.model is not TimeAllowance:
            return super().save_formset(request, form, formset, change)
        # Who gave the extra time is kept, as when a teacher sets it on the class page.
        for allowance in formset.save(commit=False):
            allowance.set_by = request.user
            allowance.save()


admin.site.unregister(User)
admin.site.register(User, UserWithExtraTimeAdmin)

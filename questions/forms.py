"""Admin forms for curating the bank: the question and its options validated together, and the
forms of the bulk actions and imports. The rules and their messages are shared with the
importers (questions/formats/rules.py)."""

from django import forms
from django.core.exceptions import ValidationError
from import_export.forms import ConfirmImportForm, ImportForm

from questions.formats import rules
from questions.formats.service import TEXT_FORMATS
from questions.models import Question, Source, Topic
from questions.text import stem_fingerprint
from quiz.models import Response


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["source", "passage", "topic", "difficulty", "style", "status", "stem", "explanation"]
        widgets = {
            "stem": forms.Textarea(attrs={"rows": 6, "cols": 90}),
            "explanation": forms.Textarea(attrs={"rows": 6, "cols": 90}),
        }

    def clean(self):
        data = super().clean()
        source, passage, stem = data.get("source"), data.get("passage"), data.get("stem")
        if source and passage and passage.source_id != source.pk:
            self.add_error("passage", f"This passage is from another source: choose one of “{source}”.")
        if source and stem:
            twin = (
                Question.objects.filter(source=source, stem_key=stem_fingerprint(stem))
                .exclude(pk=self.instance.pk)
                .first()
            )
            if twin:
                self.add_error(
                    "stem",
                    f"This source already has a question with the same stem (#{twin.pk}): "
                    "edit that one, or word this one differently.",
                )
        problem = rules.explanation_problem(
            data.get("explanation", ""), data.get("status") == Question.Status.PUBLISHED
        )
        if problem:
            self.add_error("explanation", problem)
        return data


class ChoiceForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["position"].help_text = "(a) is 0. Leave blank to put it after the others."
        self.fields["text"].widget = forms.Textarea(attrs={"rows": 2, "cols": 60})


class ChoiceFormSet(forms.BaseInlineFormSet):
    """A question's options, checked together: 2 to 6 of them (4 for UPSC styles), exactly
    one correct, and none removed once learners have answered the question."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("text")
        ]
        removed = [f for f in self.forms if f.cleaned_data.get("DELETE") and f.instance.pk]
        if removed and Response.objects.filter(question=self.instance).exists():
            raise ValidationError(rules.ANSWERED_OPTIONS_KEPT)
        self._fill_positions(kept)
        kept.sort(key=lambda f: f.cleaned_data["position"])
        problems = [
            rules.option_count_problem(len(kept), self.instance.style),
            rules.correct_answer_problem(
                [i for i, f in enumerate(kept) if f.cleaned_data.get("is_correct")], len(kept)
            ),
        ]
        problems = [p for p in problems if p]
        if problems:
            raise ValidationError(problems)

    def _fill_positions(self, kept):
        """Options left without a position go after the others, in the order shown."""
        taken = {f.cleaned_data["position"] for f in kept if f.cleaned_data.get("position") is not None}
        free = (n for n in range(len(kept) + len(taken) + 1) if n not in taken)
        for form in kept:
            if form.cleaned_data.get("position") is None:
                form.cleaned_data["position"] = form.instance.position = next(free)


class MoveToTopicForm(forms.Form):
    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), label="Move to topic")


class _ImportTargetFields(forms.Form):
    source = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        help_text="The article the questions are drawn from; the passage column numbers its paragraphs.",
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        label="Default topic",
        help_text="For rows that name no topic (GIFT: no $CATEGORY naming one of ours).",
    )
    publish = forms.BooleanField(
        required=False,
        label="Publish the imported questions",
        help_text="Otherwise they are imported as drafts. "
        "Publishing needs an explanation on every question.",
    )


class QuestionImportForm(_ImportTargetFields, ImportForm):
    """import-export's upload form, plus where the questions go."""


class QuestionConfirmImportForm(ConfirmImportForm):
    source = forms.ModelChoiceField(queryset=Source.objects.all(), widget=forms.HiddenInput)
    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), required=False, widget=forms.HiddenInput)
    publish = forms.BooleanField(required=False, widget=forms.HiddenInput)


class TextImportForm(_ImportTargetFields):
    """Step one of a GIFT or Aiken import: the file and where its questions go."""

    format = forms.ChoiceField(choices=[("gift", "GIFT (Moodle)"), ("aiken", "Aiken")])
    import_file = forms.FileField(label="File to import")
    field_order = ["import_file", "format", "source", "topic", "publish"]


class TextConfirmForm(forms.Form):
    """Step two: the same file's text again, checked again, then written."""

    format = forms.ChoiceField(choices=[(f, f) for f in TEXT_FORMATS], widget=forms.HiddenInput)
    source = forms.ModelChoiceField(queryset=Source.objects.all(), widget=forms.HiddenInput)
    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), required=False, widget=forms.HiddenInput)
    publish = forms.BooleanField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.HiddenInput, strip=False)

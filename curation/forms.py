"""Admin forms for curating the bank: the question and its options validated together, and the
forms of the bulk actions and imports. The rules and their messages are shared with the
importers (questions/formats/rules.py)."""

import os
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.tmp_storages import CacheStorage

from questions.formats import rules
from django.utils.translation import gettext_lazy as _

from questions.formats.service import ENGLISH, HINDI, TABULAR, TEXT_FORMATS
from questions.models import Question, Source, Topic
from questions.text import stem_fingerprint
from quiz.models import Response


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        # QuestionAdmin's fieldsets say which fields, with a field per language for the texts;
        # a list here would be copied onto the admin by modeltranslation (admin.E005).
        fields = "__all__"
        widgets = {
            "stem": forms.Textarea(attrs={"rows": 6, "cols": 90}),
            "explanation": forms.Textarea(attrs={"rows": 6, "cols": 90}),
        }

    def clean(self):
        # Admin shows a field per language (stem_en, stem_hi): the rules read the English, which
        # every question has; the Hindi is optional.
        data = super().clean()
        source, passage, stem = data.get("source"), data.get("passage"), data.get("stem_en")
        if source and passage and passage.source_id != source.pk:
            self.add_error(
                "passage",
                _("This passage is from another source: choose one of “%(source)s”.") % {"source": source},
            )
        if data.get("passage_contradicts_key") and not passage:
            self.add_error("passage_contradicts_key", rules.SLIP_WITHOUT_PASSAGE)
        if source and stem:
            twin = (
                Question.objects.filter(source=source, stem_key=stem_fingerprint(stem))
                .exclude(pk=self.instance.pk)
                .first()
            )
            if twin:
                self.add_error(
                    "stem_en",
                    _(
                        "This source already has a question with the same stem (#%(id)s): "
                        "edit that one, or word this one differently."
                    )
                    % {"id": twin.pk},
                )
        problem = rules.explanation_problem(
            data.get("explanation_en") or "", data.get("status") == Question.Status.PUBLISHED
        )
        if problem:
            self.add_error("explanation_en", problem)
        return data


class ChoiceForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["position"].help_text = _("(a) is 0. Leave blank to put it after the others.")
        for name in ("text_en", "text_hi"):
            self.fields[name].widget.attrs.update(rows=2, cols=60)


class ChoiceFormSet(forms.BaseInlineFormSet):
    """A question's options, checked together: 2 to 6 of them (4 for UPSC styles), exactly
    one correct, and none removed once learners have answered the question."""

    def add_fields(self, form, index):
        """Name each input after its option: the tabular inline shows the labels only as column
        headings, which do not label the inputs for a screen reader."""
        super().add_fields(form, index)
        if index is None:  # the empty row the "Add another option" button copies
            labels = {
                "position": _("Position of new option"),
                "text_en": _("Text of new option"),
                "text_hi": _("Hindi text of new option"),
                "is_correct": _("New option is correct"),
                "DELETE": _("Delete new option"),
            }
        else:
            n = {"n": index + 1}
            labels = {
                "position": _("Position of option %(n)d") % n,
                "text_en": _("Text of option %(n)d") % n,
                "text_hi": _("Hindi text of option %(n)d") % n,
                "is_correct": _("Option %(n)d is correct") % n,
                "DELETE": _("Delete option %(n)d") % n,
            }
        for name, label in labels.items():
            if name in form.fields:
                form.fields[name].widget.attrs["aria-label"] = label

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("text_en")
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
    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), label=_("Move to topic"))


class _ImportTargetFields(forms.Form):
    source = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        label=_("Source"),
        help_text=_("The article the questions are drawn from; the passage column numbers its paragraphs."),
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        label=_("Default topic"),
        help_text=_("For rows that name no topic (GIFT: no $CATEGORY naming one of ours)."),
    )
    publish = forms.BooleanField(
        required=False,
        label=_("Publish the imported questions"),
        help_text=_("Otherwise they are imported as drafts. Publishing needs an explanation on every question."),
    )
    create_topics = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Create topics the bank lacks"),
        help_text=_(
            "A topic the file names and the bank does not have is created from the file "
            "(as Moodle creates categories) and listed in the preview. Untick to refuse such rows."
        ),
    )


def check_upload_size(upload):
    """Refused before it is read: an upload over the limit never reaches memory."""
    if upload is not None and upload.size > rules.MAX_IMPORT_BYTES:
        raise ValidationError(rules.file_too_large(upload.size))
    return upload


class QuestionImportForm(_ImportTargetFields, ImportForm):
    """import-export's upload form, plus where the questions go."""

    def clean_import_file(self):
        return check_upload_size(self.cleaned_data.get("import_file"))


EXPIRED_UPLOAD = _("This preview has expired or its file is gone: upload the file again.")
_UPLOAD_SALT = "questions.import.tmp-file"


class QuestionConfirmImportForm(ConfirmImportForm):
    """Step two of a spreadsheet import. import-export sends back the name of the uploaded
    file's copy, kept in the cache (settings.IMPORT_EXPORT_TMP_STORAGE_CLASS), and reads and
    then deletes it: the name is signed here, so the form can name nothing else, and a name or
    format that is not one we gave out, or a copy gone from the cache, is a form error, not a
    crash."""

    source = forms.ModelChoiceField(queryset=Source.objects.all(), widget=forms.HiddenInput)
    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), required=False, widget=forms.HiddenInput)
    publish = forms.BooleanField(required=False, widget=forms.HiddenInput)
    create_topics = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.initial.get("import_file_name")
        if not self.is_bound and name:
            self.initial["import_file_name"] = signing.dumps(os.path.basename(name), salt=_UPLOAD_SALT)

    def clean_import_file_name(self):
        try:
            name = signing.loads(self.cleaned_data["import_file_name"], salt=_UPLOAD_SALT, max_age=24 * 3600)
        except signing.BadSignature:
            raise ValidationError(EXPIRED_UPLOAD) from None
        if not isinstance(name, str) or not cache.has_key(CacheStorage.CACHE_PREFIX + name):
            raise ValidationError(EXPIRED_UPLOAD)
        return name

    def clean_format(self):
        value = self.cleaned_data["format"]
        if value not in {str(i) for i in range(len(TABULAR))}:
            raise ValidationError(_("Unknown file format: upload the file again."))
        return value


LANGUAGE_CHOICES = [
    (ENGLISH, _("English: create the file's questions")),
    (HINDI, _("Hindi (हिन्दी): add the Hindi of questions the source has")),
]


class TextImportForm(_ImportTargetFields):
    """Step one of a GIFT or Aiken import: the file and where its questions go."""

    format = forms.ChoiceField(label=_("Format"), choices=[("gift", "GIFT (Moodle)"), ("aiken", "Aiken")])
    import_file = forms.FileField(label=_("File to import"))
    language = forms.ChoiceField(
        choices=LANGUAGE_CHOICES,
        initial=ENGLISH,
        required=False,
        label=_("Language of the file"),
        help_text=_(
            "A GIFT or Aiken file holds one language. A Hindi file is one exported from this bank "
            "in Hindi (“Export selected as GIFT, Hindi”) and translated: each question carries the "
            "key of its English stem, and its Hindi is written beside that question's English. "
            "A Hindi file creates no question, and the topic and publish choices do not apply to it."
        ),
    )
    field_order = ["import_file", "format", "language", "source", "topic", "publish", "create_topics"]

    def clean_language(self) -> str:
        # A form sent without the field (a script, a page from before it) is English, as before.
        return self.cleaned_data.get("language") or ENGLISH

    def clean_import_file(self):
        """The preview's confirm button sends the file's text back, percent-encoded (three
        characters a byte outside ASCII: Devanagari triples), and Django refuses a form larger
        than DATA_UPLOAD_MAX_MEMORY_SIZE with a bare 400. A file that could never be confirmed
        is refused here, with the way out."""
        upload = check_upload_size(self.cleaned_data.get("import_file"))
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if upload is None or limit is None:
            return upload
        text = upload.read().decode("utf-8", "replace")
        upload.seek(0)
        # The text and the form's other fields, which take a few hundred bytes.
        sent_back = len(urlencode({"text": text})) + 1024
        if sent_back > limit:
            raise ValidationError(
                _(
                    "This file is too large to confirm from the browser: confirming sends its text "
                    "back as %(sent)s of form data, and at most %(limit)s is accepted. Split it into "
                    "smaller files, or import it with the import_questions command."
                )
                % {"sent": rules.megabytes(sent_back), "limit": rules.megabytes(limit)}
            )
        return upload


class TextConfirmForm(forms.Form):
    """Step two: the same file's text again, checked again, then written."""

    format = forms.ChoiceField(choices=[(f, f) for f in TEXT_FORMATS], widget=forms.HiddenInput)
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, initial=ENGLISH, required=False, widget=forms.HiddenInput)

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or ENGLISH
    source = forms.ModelChoiceField(queryset=Source.objects.all(), widget=forms.HiddenInput)
    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), required=False, widget=forms.HiddenInput)
    publish = forms.BooleanField(required=False, widget=forms.HiddenInput)
    create_topics = forms.BooleanField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.HiddenInput, strip=False)

from urllib.parse import urlencode

from django import forms
from django.core.validators import slug_re

from questions.models import Topic
from quiz.catalogue import Filters
from quiz.models import Response
from quiz.papers import Save
from quiz.services import Submission
from django.utils.translation import gettext_lazy as _


class LearnerForm(forms.Form):
    """A learner's form, whose refusal is shown as one message."""

    def first_error(self) -> str:
        for errors in self.errors.values():
            return errors[0]
        return ""


class FixedChoiceField(forms.ChoiceField):
    """A choice among values fixed in the code, in a form bound on every answer. Every form
    deep-copies its fields, and a ChoiceField its choices with them, lazy labels and all: these
    never change, so the forms share them (about 2% of an answer's Python calls)."""

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)


class AnswerForm(LearnerForm):
    """What a learner may send about a question: which one, what they did, which option.
    Nothing about time or score: the server works those out."""

    ACTIONS = [("answer", "Submit answer"), ("skip", "Skip"), ("expire", "Time is up")]

    position = forms.IntegerField(min_value=0, max_value=2**31, error_messages={"required": _("The form did not say which question it answers.")})
    action = FixedChoiceField(choices=ACTIONS, required=False)
    # The option's place in the order shown (1 for a), never its id: see services.Submission.
    choice = forms.IntegerField(min_value=1, max_value=2**31, required=False, error_messages={"invalid": _("That option is not one of this question's options.")})

    confidence = FixedChoiceField(
        choices=Response.Confidence.choices,
        required=False,
        error_messages={"invalid_choice": _("How sure you are must be Sure, 50-50 or Guess.")},
    )

    def clean_action(self) -> str:
        return self.cleaned_data.get("action") or "answer"

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(data["position"], data["action"], data["choice"], data["confidence"])


class PaperAnswerForm(LearnerForm):
    """What a learner may send about one question of a paper: the option (none to leave it
    blank), what to do with it, and whether to stay or go on. Which question is in the URL."""

    ACTIONS = [("save", "Save & Next"), ("review", "Mark for review & Next"), ("clear", "Clear response")]

    # The option's place in the order shown (1 for a), never its id: see paper_store.Save.
    choice = forms.IntegerField(
        min_value=1, max_value=2**31, required=False,
        error_messages={key: _("That option is not one of this question's options.") for key in ("invalid", "min_value", "max_value")},
    )
    action = FixedChoiceField(choices=ACTIONS, required=False, error_messages={"invalid_choice": _("Save, mark for review or clear the answer.")})
    go = FixedChoiceField(choices=[("next", "Next"), ("stay", "Stay")], required=False)

    def clean_action(self) -> str:
        return self.cleaned_data.get("action") or "save"

    def clean_go(self) -> str:
        # Clearing an answer keeps the learner on the question.
        return "stay" if self.cleaned_data.get("action") == "clear" else self.cleaned_data.get("go") or "next"

    def save_for(self, number: int) -> Save:
        data = self.cleaned_data
        choice = None if data["action"] == "clear" else data["choice"]
        return Save(number - 1, choice, data["action"] == "review")
class TopicChoiceField(forms.ModelChoiceField):
    """A topic by its slug. Anything that is not a slug is refused before the database sees
    it (PostgreSQL refuses a NUL in text outright)."""

    def to_python(self, value):
        if value not in self.empty_values and not slug_re.fullmatch(str(value)):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class CatalogueForm(LearnerForm):
    """The catalogue's filters, sent by GET: a topic, "not yet attempted", a title search."""

    topic = TopicChoiceField(
        Topic.objects.all(), to_field_name="slug", required=False, empty_label=_("All topics"),
        error_messages={"invalid_choice": _("There is no such topic; choose one from the list.")},
    )
    todo = forms.BooleanField(label=_("Not yet attempted"), required=False)
    q = forms.CharField(label=_("Search titles"), max_length=100, required=False)

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(topic=data["topic"], not_attempted=data["todo"], search=data["q"])

    def query(self) -> str:
        """The filters as a query string, for the pager's links to keep ("" when none)."""
        filters = self.filters()
        pairs = {"topic": filters.topic.slug if filters.topic else "", "todo": "on" if filters.not_attempted else "", "q": filters.search}
        return urlencode({name: value for name, value in pairs.items() if value})

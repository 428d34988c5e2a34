from urllib.parse import urlencode

from django import forms
from django.core.validators import slug_re

from questions.models import Topic
from quiz.catalogue import Filters
from quiz.services import Submission


class AnswerForm(forms.Form):
    """What a learner may send about a question: which one, what they did, which option.
    Nothing about time or score: the server works those out."""

    ACTIONS = [("answer", "Submit answer"), ("skip", "Skip"), ("expire", "Time is up")]

    position = forms.IntegerField(min_value=0, max_value=2**31, error_messages={"required": "The form did not say which question it answers."})
    action = forms.ChoiceField(choices=ACTIONS, required=False)
    choice = forms.IntegerField(min_value=1, max_value=2**62, required=False, error_messages={"invalid": "That option is not one of this question's options."})

    def clean_action(self) -> str:
        return self.cleaned_data.get("action") or "answer"

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(data["position"], data["action"], data["choice"])

    def first_error(self) -> str:
        for errors in self.errors.values():
            return errors[0]
        return ""


class TopicChoiceField(forms.ModelChoiceField):
    """A topic by its slug. Anything that is not a slug is refused before the database sees
    it (PostgreSQL refuses a NUL in text outright)."""

    def to_python(self, value):
        if value not in self.empty_values and not slug_re.fullmatch(str(value)):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class CatalogueForm(forms.Form):
    """The catalogue's filters, sent by GET: a topic, "not yet attempted", a title search."""

    topic = TopicChoiceField(
        Topic.objects.all(), to_field_name="slug", required=False, empty_label="All topics",
        error_messages={"invalid_choice": "There is no such topic; choose one from the list."},
    )
    todo = forms.BooleanField(label="Not yet attempted", required=False)
    q = forms.CharField(label="Search titles", max_length=100, required=False)

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(topic=data["topic"], not_attempted=data["todo"], search=data["q"])

    def query(self) -> str:
        """The filters as a query string, for the pager's links to keep ("" when none)."""
        filters = self.filters()
        pairs = {"topic": filters.topic.slug if filters.topic else "", "todo": "on" if filters.not_attempted else "", "q": filters.search}
        return urlencode({name: value for name, value in pairs.items() if value})

    def first_error(self) -> str:
        for errors in self.errors.values():
            return errors[0]
        return ""

from django import forms

from quiz.models import Response
from quiz.services import Submission


class AnswerForm(forms.Form):
    """What a learner may send about a question: which one, what they did, which option.
    Nothing about time or score: the server works those out."""

    ACTIONS = [("answer", "Submit answer"), ("skip", "Skip"), ("expire", "Time is up")]

    position = forms.IntegerField(min_value=0, max_value=2**31, error_messages={"required": "The form did not say which question it answers."})
    action = forms.ChoiceField(choices=ACTIONS, required=False)
    choice = forms.IntegerField(min_value=1, max_value=2**62, required=False, error_messages={"invalid": "That option is not one of this question's options."})

    confidence = forms.ChoiceField(
        choices=Response.Confidence.choices,
        required=False,
        error_messages={"invalid_choice": "How sure you are must be Sure, 50-50 or Guess."},
    )

    def clean_action(self) -> str:
        return self.cleaned_data.get("action") or "answer"

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(data["position"], data["action"], data["choice"], data["confidence"])

    def first_error(self) -> str:
        for errors in self.errors.values():
            return errors[0]
        return ""

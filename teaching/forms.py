from decimal import Decimal

from django import forms

from quiz.models import TIME_FACTOR_CHOICES, Quiz
from django.utils.translation import gettext_lazy as _


class ClassroomForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Class name"), help_text=_("For example: Prelims 2027 weekend batch."))


class JoinForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label=_("Class code"),
        help_text=_("The six letters and digits your teacher gave you."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
    )


class AssignForm(forms.Form):
    quiz = forms.ModelChoiceField(
        queryset=Quiz.objects.published(), label=_("Quiz"), empty_label=_("Choose a published quiz")
    )
    # A datetime-local input carries no zone; the form reads it in the active zone, IST.
    due_at = forms.DateTimeField(
        required=False,
        label=_("Due (IST, optional)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_due_at(self):
        due_at = self.cleaned_data.get("due_at")
        # Far-off years are typing slips, and before year 2 an IST time is not a UTC time at all.
        if due_at is not None and not 2000 <= due_at.year <= 2100:
            raise forms.ValidationError(_("Give a due date between the years 2000 and 2100."))
        return due_at


class TimeFactorForm(forms.Form):
    factor = forms.TypedChoiceField(
        choices=[(str(value), label) for value, label in TIME_FACTOR_CHOICES],
        coerce=Decimal,
        label=_("Time"),
        error_messages={"invalid_choice": _("Choose 1×, 1.25×, 1.5× or 2× time.")},
    )

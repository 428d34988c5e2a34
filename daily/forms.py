from django import forms

from daily.models import ProblemReport, Profile
from django.utils.translation import gettext_lazy as _


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name"]
        labels = {"display_name": _("Display name (optional)")}

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if any(not character.isprintable() for character in name):
            raise forms.ValidationError(_("Use letters, numbers and punctuation only."))
        return name


class ProblemReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=ProblemReport.Reason.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong."), "invalid_choice": _("Choose one of the reasons listed.")},
    )
    note = forms.CharField(
        label=_("Details (optional)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is wrong, and the source that says so if you have one."),
    )

    def first_error(self) -> str:
        for errors in self.errors.values():
            return errors[0]
        return ""

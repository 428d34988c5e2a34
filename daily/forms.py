from django import forms

from daily.models import Profile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name"]
        labels = {"display_name": "Display name (optional)"}

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if any(not character.isprintable() for character in name):
            raise forms.ValidationError("Use letters, numbers and punctuation only.")
        return name

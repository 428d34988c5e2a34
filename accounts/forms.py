from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, PasswordResetForm, UserChangeForm, UserCreationForm
from django.utils import translation

from accounts import language
from accounts.lookalikes import refuse_lookalike


class RefusesLookalikes:
    """A form that sets a username refuses one confusable with another user's (`аlice`, with a
    Cyrillic а, beside `alice`): accounts/lookalikes.py."""

    def clean_username(self):
        username = super().clean_username() if hasattr(super(), "clean_username") else self.cleaned_data["username"]
        if username:
            refuse_lookalike(username, self.instance)
        return username


class SignupForm(RefusesLookalikes, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An email address is what a forgotten password is reset through.
        self.fields["email"].required = True


class LoginForm(AuthenticationForm):
    """Says plainly when a log-in is refused by a limit (the backend decides, before checking
    the password), instead of the usual "wrong password", which would be untrue and invite
    more tries."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            refused = getattr(self.request, "login_refused", None)
            if refused:
                raise forms.ValidationError(refused.refusal(), code="locked_out") from None
            raise

    @property
    def is_locked_out(self) -> bool:
        return any(error.code == "locked_out" for error in self.non_field_errors().as_data())


class ResetForm(PasswordResetForm):
    """Writes each reset email in the language of the account it goes to: someone who reads
    Pariksha in Hindi may ask from a browser that has never been switched to it."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs) -> None:
        with translation.override(language.to_write_to(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class AdminAddUserForm(RefusesLookalikes, AdminUserCreationForm):
    """Admin's "add user" form."""


class AdminChangeUserForm(RefusesLookalikes, UserChangeForm):
    """Admin's user page: renaming a user is setting a username too."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from accounts.throttle import lockout_message, login_locked_out


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An email address is what a forgotten password is reset through.
        self.fields["email"].required = True


class LoginForm(AuthenticationForm):
    """Says plainly when a log-in is refused because of too many failures, instead of the
    usual "wrong password" (which would be untrue and invite more tries)."""

    def clean(self):
        limit = login_locked_out(self.request, self.data.get("username"))
        if limit:
            raise forms.ValidationError(lockout_message(limit), code="locked_out")
        return super().clean()

    @property
    def is_locked_out(self) -> bool:
        return any(error.code == "locked_out" for error in self.non_field_errors().as_data())

"""Words of Django's own account forms (sign-up, log-in, passwords) that its Hindi catalogue
leaves in English or renders in another register ("कूटशब्द", "प्रयोक्ता"). Listed here with
gettext_noop only so that `make messages` keeps them in locale/hi/LC_MESSAGES/django.po, where
our translation, read before Django's (LOCALE_PATHS), uses the same words as the rest of the
interface ("पासवर्ड", "उपयोगकर्ता नाम"). Nothing imports this module."""

from django.utils.translation import gettext_noop, ngettext_lazy

WORDS = [
    gettext_noop("username"),
    gettext_noop("email address"),
    gettext_noop("Email"),
    gettext_noop("Password confirmation"),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
    gettext_noop("Old password"),
    gettext_noop("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
    gettext_noop("A user with that username already exists."),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
]

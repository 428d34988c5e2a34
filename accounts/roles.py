"""The groups that give a user a role, named where the log-in code can read them: accounts is
the base app and imports none above it; teaching, which decides what a teacher may do, reads
the name and the remembered membership from here."""

TEACHERS_GROUP = "Teachers"


def remember_teacher_group(user, is_member: bool) -> None:
    """Record whether the user is in the Teachers group, read with the user (every page's
    navigation asks: accounts/backends.py reads it in the same statement)."""
    user._in_teachers_group = is_member


def remembered_teacher_group(user) -> bool | None:
    """Whether the user is in the Teachers group, if it was read with them; None if not."""
    return getattr(user, "_in_teachers_group", None)

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


def is_teacher(user) -> bool:
    """A superuser or a member of the Teachers group. Remembered on the user object, since the
    nav and the view ask on the same request; the logged-in user arrives with it already
    (`remember_teacher_group`). Here, in the base app, because the log-in decides where a
    teacher lands; teaching decides what a teacher may do."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = remembered_teacher_group(user)
    if cached is None:
        cached = user.groups.filter(name=TEACHERS_GROUP).exists()
        remember_teacher_group(user, cached)
    return cached

"""Create the demo learner, teacher and admin of the local embedded setup (`make run`)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import TEACHERS_GROUP

DEMO_ACCOUNTS = [
    # username, password, role
    ("learner", "learn-upsc-2026", "learner"),
    ("teacher", "teach-upsc-2026", "teacher"),
    ("admin", "admin-upsc-2026", "admin"),
]


class Command(BaseCommand):
    help = "Create (or reset) the demo accounts. Refuses outside the local DEBUG SQLite setup."

    def handle(self, *args, **options):
        engine = settings.DATABASES["default"]["ENGINE"]
        if not settings.DEBUG or not engine.endswith("sqlite3"):
            raise CommandError("Demo accounts exist only in the local setup (DEBUG=1 on SQLite).")
        users = get_user_model()
        self.stdout.write("Demo accounts (local only):")
        for username, password, role in DEMO_ACCOUNTS:
            user, _ = users.objects.get_or_create(username=username, defaults={"email": f"{username}@pariksha.local"})
            user.set_password(password)
            user.is_staff = user.is_superuser = role == "admin"
            user.save()
            if role == "teacher":
                user.groups.add(Group.objects.get_or_create(name=TEACHERS_GROUP)[0])
            self.stdout.write(f"  {role:<8} {username:<8} password: {password}")

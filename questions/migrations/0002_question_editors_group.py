"""Once made the "Question editors" group. The group's permissions include quiz's models, so
it is made by curation's migration 0001 now: questions' migrations depend on nothing above
questions. Kept, doing nothing, under its name: databases that applied it keep a consistent
history, and quiz's migration 0002 depends on it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_initial")]

    operations = []

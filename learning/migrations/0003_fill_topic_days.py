"""Fill the progress totals (learning.TopicDay) from the quiz attempts each learner's notebook
has already read in (finished by their `Deck.synced_until`), by the rule the app adds answers
up with (learning.tally.added_up). Attempts finished later, and every attempt of a learner
whose notebook has never been opened, are added when the notebook next reads them in."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    from learning import tally

    Deck = apps.get_model("learning", "Deck")
    TopicDay = apps.get_model("learning", "TopicDay")
    Response = apps.get_model("quiz", "Response")
    mark = Deck.objects.filter(user=OuterRef("attempt__user")).values("synced_until")
    answers = tally.counted_answers(Response.objects.filter(attempt__finished_at__lte=Subquery(mark)))
    rows = tally.topic_days(TopicDay, tally.added_up(answers, by_learner=True).iterator())
    TopicDay.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("learning", "0002_topic_days"),
        ("quiz", "0008_merge_hindi"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

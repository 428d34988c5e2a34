"""The hidden quizzes of revision and topic practice (learning.services) got their title and
description in English only, written in whichever language the page that first made them was
in: give them both languages, as learning.services now writes them. The words are as the
catalogue has them today, written out here so that this migration reads the same later."""

from django.db import migrations

REVISION = {
    "title_en": "Revision",
    "title_hi": "दोहराव",
    "description_en": "Questions from your mistakes notebook. Revision never counts in a score.",
    "description_hi": "आपकी गलतियों की पुस्तिका के प्रश्न। दोहराव कभी किसी अंक में नहीं गिना जाता।",
}
PRACTICE = {"title_en": "Practise: {topic}", "title_hi": "अभ्यास: {topic}"}


def write_both(apps, schema_editor):
    Quiz = apps.get_model("quiz", "Quiz")
    # The field's own column too, which reads as English (quiz.migrations.0004_quiz_texts_in_hindi).
    Quiz.objects.filter(slug="revision").update(title=REVISION["title_en"], description=REVISION["description_en"], **REVISION)
    for quiz in Quiz.objects.filter(slug__startswith="practise-topic-", draw_topic__isnull=False).select_related("draw_topic"):
        topic = quiz.draw_topic
        quiz.title = quiz.title_en = PRACTICE["title_en"].format(topic=topic.name_en)
        quiz.title_hi = PRACTICE["title_hi"].format(topic=topic.name_hi or topic.name_en)
        quiz.save(update_fields=["title", "title_en", "title_hi"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0003_fill_topic_days"),
        ("quiz", "0009_answer_keys_held_back"),
        ("questions", "0004_texts_in_hindi"),
    ]

    operations = [migrations.RunPython(write_both, migrations.RunPython.noop)]

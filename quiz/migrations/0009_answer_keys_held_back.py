# Issue 15, item 2: whether a question's key was held back when it was shown (quiz/key_holds.py).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('quiz', '0008_merge_hindi'),
    ]

    operations = [
        migrations.AddField(
            model_name='attempt',
            name='key_held',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='response',
            name='key_held',
            field=models.BooleanField(default=False),
        ),
    ]

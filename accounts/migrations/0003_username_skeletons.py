# Issue 15, item 11: each username's skeleton (accounts/lookalikes.py), for existing users too.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    from accounts.lookalikes import skeleton_keys

    User = apps.get_model(settings.AUTH_USER_MODEL)
    UsernameSkeleton = apps.get_model("accounts", "UsernameSkeleton")
    UsernameSkeleton.objects.bulk_create(
        (
            UsernameSkeleton(user_id=pk, key=keys[0], key_as_written=keys[1])
            for pk, name in User.objects.values_list("pk", "username").iterator()
            for keys in [skeleton_keys(name)]
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_learner_profile'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='UsernameSkeleton',
            fields=[
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to=settings.AUTH_USER_MODEL)),
                ('key', models.CharField(db_index=True, max_length=64)),
                ('key_as_written', models.CharField(db_index=True, max_length=64)),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

"""The Teachers group: a user in it may create classes and read their reports."""

from django.db import migrations

TEACHERS_GROUP = "Teachers"  # as accounts.roles.TEACHERS_GROUP, frozen here


def create_teachers_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=TEACHERS_GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("teaching", "0001_initial"),
    ]

    # Going back leaves the group: teachers may have been put in it by hand.
    operations = [migrations.RunPython(create_teachers_group, migrations.RunPython.noop)]

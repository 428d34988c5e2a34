"""Question editors curate giveaway groups too (questions that must never share an attempt):
their four permissions are added to the group, whatever else its admins have given it."""

from django.db import migrations

EDITORS_GROUP = "Question editors"
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps):
    """Add the four permissions to the group, if there is one."""
    group = apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).first()
    if group is None:
        return
    Permission = apps.get_model("auth", "Permission")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="questions",
            codename__in=[f"{action}_giveawaygroup" for action in ACTIONS],
        )
    )


def grant_giveaway_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after the last migration (post_migrate): make them now.
    app_config = apps.get_app_config("questions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    grant(apps)


def revoke_giveaway_groups(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).first()
    if group is not None:
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="questions", codename__endswith="_giveawaygroup")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0001_question_editors_group"),
        ("questions", "0003_giveawaygroup_passage_contradicts_key"),
    ]

    operations = [migrations.RunPython(grant_giveaway_groups, revoke_giveaway_groups)]

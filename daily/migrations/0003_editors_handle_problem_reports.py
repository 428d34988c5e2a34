"""Question editors work through learners' problem reports: they may view them and change
their status and reply (never add or delete one: the reports are learners')."""

from django.db import migrations

EDITORS_GROUP = "Question editors"
CODENAMES = ["view_problemreport", "change_problemreport"]


def grant(apps):
    group = apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).first()
    if group is None:
        return
    Permission = apps.get_model("auth", "Permission")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="daily", codename__in=CODENAMES))


def grant_reports(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after the last migration (post_migrate): make them now.
    app_config = apps.get_app_config("daily")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    grant(apps)


def revoke_reports(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(content_type__app_label="daily"))


class Migration(migrations.Migration):
    dependencies = [
        ("daily", "0002_problem_reports"),
        ("curation", "0002_editors_curate_giveaway_groups"),
    ]

    operations = [migrations.RunPython(grant_reports, revoke_reports)]

"""The "Question editors" group: exactly the permissions to curate the bank and its quizzes
(sources, passages, topics, questions, options, quizzes and their questions), and nothing over
users, attempts or responses. An editor also needs is_staff to sign in to admin.

This was questions' migration 0002 until curation had an app of its own: it grants permissions
on quiz's models, and questions' migrations depend on nothing above questions. A database
migrated before then already has the group, made by that migration, and keeps it as it is."""

from django.db import migrations

EDITORS_GROUP = "Question editors"
CURATED_MODELS = {
    "questions": ["source", "passage", "topic", "question", "choice"],
    "quiz": ["quiz", "quizquestion"],
}
ACTIONS = ["add", "change", "delete", "view"]


def grant_curation(apps):
    """Create the group, or put its permissions back to exactly these. Returns the group."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    wanted = [
        Permission.objects.get(
            content_type__app_label=app_label, codename=f"{action}_{model}"
        )
        for app_label, models in CURATED_MODELS.items()
        for model in models
        for action in ACTIONS
    ]
    group.permissions.set(wanted)
    return group


def create_editors_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    if apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).exists():
        # Made by questions 0002 before this moved here; its admins may have changed it since.
        return

    # Permissions are normally made after the last migration (post_migrate); on a fresh
    # database make them now, so the group gets them.
    for app_label in CURATED_MODELS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant_curation(apps)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("questions", "0002_question_editors_group"),
        ("quiz", "0002_response_question_outcome_index"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]

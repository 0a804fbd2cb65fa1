"""
Approvers publish errata, as they approve and mark issues sent; editors see them.
Published errata are never changed or deleted by either group.
"""

from django.db import migrations

ADDED = {
    "Editors": ["view_erratum"],
    "Approvers": ["add_erratum", "view_erratum"],
}


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label="issues", codename=codename)
        for codename in codenames
    ]


def add_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are otherwise made after the last migration has run.
    app_config = apps.get_app_config("issues")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    for name, codenames in ADDED.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, codenames))


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ADDED):
        group.permissions.remove(*_permissions(apps, ADDED[group.name]))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("issues", "0006_erratum"),
    ]

    operations = [
        migrations.RunPython(add_permissions, remove_permissions),
    ]

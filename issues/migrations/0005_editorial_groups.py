"""
The Editors and Approvers groups. Editors assemble issues and submit them; approvers
do the same, and also approve, send back and mark sent. Both are kept up to date by
this migration only: change GROUP_PERMISSIONS and add a migration that calls it again.
"""

from django.db import migrations

EDITING = {
    "issues": [
        "add_issue",
        "change_issue",
        "view_issue",
        "add_item",
        "change_item",
        "delete_item",
        "view_item",
        "view_publication",
        "view_section",
        "view_sociallink",
        "view_mailerprofile",
        "view_issueexport",
        "view_issuetransition",
        "view_issuerevision",
        "add_previewlink",
        "change_previewlink",
        "view_previewlink",
        "change_suggestion",
        "view_suggestion",
    ],
    "events": [
        "add_event",
        "change_event",
        "view_event",
        "add_deadline",
        "change_deadline",
        "delete_deadline",
        "view_deadline",
    ],
    "people": [
        "add_person",
        "change_person",
        "view_person",
        "view_team",
        "add_teammembership",
        "change_teammembership",
        "view_teammembership",
    ],
}
GROUP_PERMISSIONS = {
    "Editors": EDITING,
    "Approvers": {
        **EDITING,
        "issues": [*EDITING["issues"], "approve_issue", "mark_issue_sent"],
    },
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are otherwise made after the last migration has run.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codenames in by_app.items()
            for codename in codenames
        ]
        group.permissions.set(wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0001_initial"),
        ("people", "0001_initial"),
        ("issues", "0004_workflow_and_suggestions"),
    ]

    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
    ]

from django.db import migrations

# The mailers Newsroom knows out of the box; editors change them in the admin.
PROFILES = [
    {
        "slug": "dynamics365",
        "name": "Dynamics 365 Customer Insights",
        "position": 1,
        # Its compliance settings add the unsubscribe and preference-centre links.
        "handles_unsubscribe": True,
        "footer_text": "",
    },
    {
        "slug": "mailchimp",
        "name": "Mailchimp",
        "position": 2,
        "unsubscribe_url": "*|UNSUB|*",
        "preferences_url": "*|UPDATE_PROFILE|*",
        "web_version_url": "*|ARCHIVE|*",
        "postal_address": "*|HTML:LIST_ADDRESS_HTML|*",
        "footer_text": "You are receiving this e-mail because you signed up to it.",
    },
    {
        "slug": "generic",
        "name": "Other mailer",
        "position": 3,
        "footer_text": "You are receiving this e-mail because you signed up to it.",
    },
]


def create_profiles(apps, schema_editor):
    MailerProfile = apps.get_model("issues", "MailerProfile")
    for fields in PROFILES:
        fields = dict(fields)
        MailerProfile.objects.get_or_create(slug=fields.pop("slug"), defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("issues", "0002_export")]

    operations = [migrations.RunPython(create_profiles, migrations.RunPython.noop)]

"""The mailer profiles in the admin: each mailer's links, footer and UTM parameters."""

from django.contrib import admin

from issues.models import MailerProfile


@admin.register(MailerProfile)
class MailerProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active", "utm_source", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "position", "is_active"]}),
        (
            "The mailer's links and footer",
            {
                "fields": [
                    "handles_unsubscribe",
                    "unsubscribe_url",
                    "preferences_url",
                    "web_version_url",
                    "postal_address",
                    "footer_text",
                ],
                "description": (
                    "Links may be the mailer's merge tags (such as *|UNSUB|*), which "
                    "it replaces for each reader."
                ),
            },
        ),
        (
            "UTM parameters",
            {
                "fields": ["utm_source", "utm_medium", "utm_campaign"],
                "description": (
                    "Added once to every web link of the e-mail, never to e-mail "
                    "addresses or to links that already have them."
                ),
            },
        ),
    ]

from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = "Newsletters"

    def ready(self):
        # Registers the system checks of the suggestion form's settings.
        from issues.suggestions import checks  # noqa: F401

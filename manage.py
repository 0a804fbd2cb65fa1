#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Reading one setting loads them all, from the environment.
        settings.SECRET_KEY  # noqa: B018
    except ImproperlyConfigured as error:
        # A setting is missing or wrong: say which, without a traceback.
        sys.exit(f"Newsroom cannot start: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""Django's command-line utility for Samverkan."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        print(f"Konfigurationsfel: {error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

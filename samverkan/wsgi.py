"""WSGI entry point: gunicorn samverkan.wsgi."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    print(f"Konfigurationsfel: {error}", file=sys.stderr)
    raise SystemExit(1) from None

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalkomp.settings")
application = get_wsgi_application()

# Serving with DEBUG off is production: refuse the public key and a per-process cache before any request.
from lokalkomp.production import refuse_unsafe_production  # noqa: E402

refuse_unsafe_production()

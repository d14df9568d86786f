"""The production entry point: `gunicorn --preload lms.wsgi:app` (configuration from
$LMS_CONFIG)."""
from lms import create_app, freeze_startup_objects

app = create_app()
freeze_startup_objects()

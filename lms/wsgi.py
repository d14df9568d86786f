"""The production entry point: `gunicorn --preload lms.wsgi:app`. The configuration is
$LMS_CONFIG, production when it is unset: it refuses to start without a strong SECRET_KEY,
DATABASE_URL and PUBLIC_URL (config.py)."""
from lms import create_app, freeze_startup_objects

app = create_app()
freeze_startup_objects()

"""The production entry point gunicorn loads: a working app, start-up objects frozen."""
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(__file__), "..")
PROBE = """
import gc
from lms.wsgi import app
response = app.test_client().get("/auth/login")
print(response.status_code, gc.get_freeze_count() > 1000)
"""


def test_wsgi_module_serves_requests_with_startup_objects_frozen():
    # A separate interpreter: freezing this test process's objects would outlive the test.
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "LMS_CONFIG": "test"}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "True"]

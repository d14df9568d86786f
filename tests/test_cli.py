"""The `flask lms` commands other than the demo data."""
from lms.auth.passwords import verify_password
from lms.users.models import Role
from lms.users.queries import find_user_by_email


def test_create_admin_from_options(app):
    result = app.test_cli_runner().invoke(args=[
        "lms", "create-admin", "--email", "Boss@Cluster.example", "--name", "Olha Boss",
        "--password", "a-long-enough-secret"])
    assert result.exit_code == 0, result.output
    admin = find_user_by_email("boss@cluster.example")
    assert admin.role == Role.ADMIN and admin.center_id is None
    assert admin.email == "boss@cluster.example"
    assert verify_password(admin.password_hash, "a-long-enough-secret")


def test_create_admin_prompts_for_missing_values(app):
    result = app.test_cli_runner().invoke(
        args=["lms", "create-admin"],
        input="prompted@cluster.example\nPrompted Admin\nsecret-secret-1\nsecret-secret-1\n")
    assert result.exit_code == 0, result.output
    assert find_user_by_email("prompted@cluster.example").full_name == "Prompted Admin"


def test_create_admin_refuses_bad_input_and_writes_nothing(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["lms", "create-admin", "--email", "one@cluster.example", "--name", "One",
                        "--password", "long-password-1"])
    cases = [
        (["--email", "not-an-email", "--name", "X", "--password", "long-password-1"], "Invalid email"),
        (["--email", "ONE@cluster.example", "--name", "X", "--password", "long-password-1"], "already exists"),
        (["--email", "two@cluster.example", "--name", "X", "--password", "short"], "at least"),
        (["--email", "two@cluster.example", "--name", " ", "--password", "long-password-1"], "name"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["lms", "create-admin", *args])
        assert result.exit_code == 1 and message in result.output, result.output
    assert find_user_by_email("two@cluster.example") is None

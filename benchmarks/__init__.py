"""Scripts that print figures (SPEC §7): never timed assertions in the test suite."""


def publish(text: str, path: str | None) -> None:
    """Print a Markdown result and, when asked, write it to `path` (a file under docs/)."""
    print("\n" + text)
    if path:
        with open(path, "w") as out:
            out.write(text)

"""Build static/vendor/bootstrap-icons-<version>/sprite.svg: the few Bootstrap Icons the product
uses, as <symbol>s of one file (one request, cached), from an unpacked npm package:

    npm pack bootstrap-icons && tar xzf bootstrap-icons-*.tgz
    python tools/icon_sprite.py package

The icons are MIT-licensed; the licence is copied next to the sprite. To add an icon, add its
name to ICONS and run this again."""
import json
import re
import shutil
import sys
from pathlib import Path

ICONS = [
    "house", "mortarboard", "award", "building", "bar-chart-line", "gear", "person-circle",
    "calendar-event", "check2-square", "table", "download", "upload", "box-arrow-right",
    "exclamation-triangle", "inbox", "plus-lg", "journal-check", "people", "clock",
    "geo-alt", "chevron-right", "x-lg", "translate", "key",
]
STATIC = Path(__file__).resolve().parents[1] / "static" / "vendor"


def symbol(name: str, svg: str) -> str:
    view_box = re.search(r'viewBox="([^"]+)"', svg).group(1)
    body = svg[svg.index(">") + 1:svg.rindex("</svg>")].strip()
    return f'<symbol id="{name}" viewBox="{view_box}">{body}</symbol>'


def build(package: Path) -> Path:
    version = json.loads((package / "package.json").read_text())["version"]
    target = STATIC / f"bootstrap-icons-{version}"
    target.mkdir(parents=True, exist_ok=True)
    symbols = [symbol(name, (package / "icons" / f"{name}.svg").read_text()) for name in ICONS]
    (target / "sprite.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(symbols) + "</svg>\n")
    shutil.copy(package / "LICENSE", target / "LICENSE")
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))

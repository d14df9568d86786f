"""Checking JSON bodies and query strings against the same JSON Schemas the OpenAPI document
publishes, so the description and the checks cannot drift apart. Only the keywords the API's
schemas use are supported; an unsupported one is an error at import time, not a silent pass."""
import re
from datetime import date

from flask_babel import lazy_gettext as _l

SUPPORTED = {"type", "properties", "required", "additionalProperties", "items", "minItems",
             "maxItems", "enum", "minimum", "maximum", "minLength", "maxLength", "format",
             "pattern", "description", "default", "example", "title"}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def check_schema(schema: dict) -> dict:
    """The schema itself, after making sure the validator understands every keyword in it."""
    unknown = set(schema) - SUPPORTED
    if unknown:
        raise ValueError(f"unsupported JSON Schema keywords {unknown}")
    for sub in schema.get("properties", {}).values():
        check_schema(sub)
    if "items" in schema:
        check_schema(schema["items"])
    return schema


def errors_of(schema: dict, value, path: str = "") -> dict[str, object]:
    """{field path: message} for every way `value` breaks `schema` (empty when it is valid)."""
    name = path or "body"
    if not _type_ok(schema.get("type"), value):
        return {name: _type_message(schema["type"])}
    if value is None:
        return {}
    if "enum" in schema and value not in schema["enum"]:
        return {name: _l("Use one of: %(values)s.", values=", ".join(map(str, schema["enum"])))}
    if isinstance(value, dict):
        return _object_errors(schema, value, path)
    if isinstance(value, list):
        return _array_errors(schema, value, path)
    message = _scalar_message(schema, value)
    return {name: message} if message else {}


def _type_ok(expected, value) -> bool:
    if expected is None:
        return True
    for kind in expected if isinstance(expected, list) else [expected]:
        if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
            return True
        if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
            return True
        if kind in TYPES and isinstance(value, TYPES[kind]):
            return True
    return False


def _type_message(expected):
    kinds = [k for k in (expected if isinstance(expected, list) else [expected]) if k != "null"]
    messages = {"object": _l("Must be a JSON object."), "array": _l("Must be a list."),
                "string": _l("Must be a string."), "boolean": _l("Must be true or false."),
                "integer": _l("Must be a whole number."), "number": _l("Must be a number.")}
    return messages.get(kinds[0] if kinds else "", _l("Must be empty (null)."))


def _object_errors(schema: dict, value: dict, path: str) -> dict:
    errors, properties = {}, schema.get("properties", {})
    for required in schema.get("required", ()):
        if required not in value:
            errors[_join(path, required)] = _l("This field is required.")
    for key, item in value.items():
        if key in properties:
            errors.update(errors_of(properties[key], item, _join(path, key)))
        elif schema.get("additionalProperties", True) is False:
            errors[_join(path, key)] = _l("Unknown field.")
    return errors


def _array_errors(schema: dict, value: list, path: str) -> dict:
    name = path or "body"
    if len(value) < schema.get("minItems", 0):
        return {name: _l("Give at least %(num)d item(s).", num=schema["minItems"])}
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        return {name: _l("Give at most %(num)d items.", num=schema["maxItems"])}
    errors = {}
    for index, item in enumerate(value):
        errors.update(errors_of(schema.get("items", {}), item, f"{name}[{index}]"))
    return errors


def _scalar_message(schema: dict, value):
    if isinstance(value, str):
        return _string_message(schema, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return _l("Must be at least %(num)s.", num=schema["minimum"])
        if "maximum" in schema and value > schema["maximum"]:
            return _l("Must be at most %(num)s.", num=schema["maximum"])
    return None


def _string_message(schema: dict, value: str):
    if "\x00" in value:  # PostgreSQL refuses NUL in text; no real input contains one
        return _l("Contains a character that is not allowed.")
    if len(value) < schema.get("minLength", 0):
        return _l("This field is required.") if not value else _l("Too short.")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        return _l("At most %(num)d characters.", num=schema["maxLength"])
    if schema.get("format") == "date" and parse_date(value) is None:
        return _l("Must be a date as YYYY-MM-DD.")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        return _l("Does not have the expected form.")
    return None


def parse_date(value: str) -> date | None:
    if not DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key

"""The OpenAPI 3.1 document, built from the endpoints' own declarations (see registry.py)."""
import re

from flask import jsonify, request

from lms.access import EVERYONE
from lms.api import api
from lms.api import schemas as s
from lms.api.errors import CODES
from lms.tokens.models import READ_METHODS

# Every token endpoint can answer these; each operation adds its own (403, 409, 422, …).
COMMON_ERRORS = (400, 401, 404, 429, 500)
PATH_ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")


# The two token scopes, as the tokens page offers them (lms/tokens/models.py TokenScope).
SCOPES = ("A personal access token, made on the API tokens page with one of two scopes chosen "
          "at creation. **Read-only** (`read`): GET requests only; any other method answers 403 "
          "with the error code `read_only_token`. **Read-write** (`read_write`): every endpoint "
          "the owner's role allows. Each operation names the scope it needs in `x-token-scope`. "
          "Tokens made before scopes existed are read-write.")


def openapi_path(rule: str) -> str:
    """Flask's `/cohorts/<int:cohort_id>` as OpenAPI's `/cohorts/{cohort_id}`."""
    return PATH_ARGUMENT.sub(r"{\2}", rule)


def _parameters(operation) -> list[dict]:
    path = [{"name": name, "in": "path", "required": True,
             "schema": s.ID_INPUT if converter == "int" else {"type": "string"}}
            for converter, name in PATH_ARGUMENT.findall(operation.rule)]
    query = [{"name": p.name, "in": "query", "required": p.required, "description": p.description,
              "schema": p.schema} for p in operation.query]
    return path + query


def _responses(operation) -> dict:
    responses = {str(operation.status): {
        "description": "Success.", "content": {"application/json": {"schema": operation.response}}}}
    if operation.paginated:
        responses[str(operation.status)]["headers"] = {"Link": {
            "description": 'RFC 8288 links to the "next" and "prev" pages, when there are any.',
            "schema": {"type": "string"}}}
    codes = () if operation.public else COMMON_ERRORS + operation.errors
    if not operation.public and (operation.roles != EVERYONE or _writes(operation)):
        codes += (403,)
    for code in sorted(set(codes)):
        responses[str(code)] = {"description": str(CODES[code][0]),
                                "content": {"application/json": {"schema": {
                                    "$ref": "#/components/schemas/Error"}}}}
    return responses


def _writes(operation) -> bool:
    return operation.method.upper() not in READ_METHODS


def _operation(operation) -> dict:
    roles = ", ".join(sorted(role.value for role in operation.roles))
    scope = "read_write" if _writes(operation) else "read"
    needs = (" Token scope: read-write (a read-only token gets 403 `read_only_token`)."
             if _writes(operation) else " Token scope: read-only or read-write.")
    described = {
        "operationId": operation.endpoint.replace(".", "_"),
        "summary": operation.summary,
        "description": operation.description
        + ("" if operation.public else f"\n\nRoles: {roles}.{needs}"),
        "parameters": _parameters(operation),
        "responses": _responses(operation),
    }
    if operation.public:
        described["security"] = []
    else:
        described["x-token-scope"] = scope
    if operation.body:
        described["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": operation.body}}}
    return described


def build_document(operations) -> dict:
    """The whole document for these operations."""
    paths: dict[str, dict] = {}
    for operation in operations:
        paths.setdefault(openapi_path(operation.rule), {})[operation.method.lower()] = \
            _operation(operation)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Resource Center LMS API", "version": "1",
                 "description": "Read and record learning and certification data. Authenticate "
                                "with a personal access token (Account → API tokens) sent as "
                                "`Authorization: Bearer <token>`. Every error has the shape "
                                "`{\"error\": {\"code\": …, \"message\": …}}`."},
        "servers": [{"url": request.host_url.rstrip("/") + api.bp.url_prefix}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": SCOPES}},
            "schemas": {"Error": s.ERROR},
        },
    }


@api.route("/openapi.json", summary="This document", response={"type": "object"}, public=True)
def openapi():
    """The OpenAPI 3.1 description of this API (no token needed)."""
    return jsonify(build_document(api.operations))

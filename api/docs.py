"""/api/docs: the API's operations, read from its OpenAPI document and rendered on the server (no script,
no CDN: the site's strict Content-Security-Policy stays as it is)."""
from __future__ import annotations

from flask import render_template, url_for

from api import pages, rest

METHODS = ("get", "post", "put", "patch", "delete")


def operations(document: dict) -> list[dict]:
    """Each operation with what a partner needs: method, path, summary, scope, parameters, body, statuses."""
    found = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            security = operation.get("security") or []
            scopes = [scope for requirement in security for scopes in requirement.values() for scope in scopes]
            body = (operation.get("requestBody", {}).get("content", {}).get("application/json", {})
                    .get("schema", {}).get("$ref", "").rsplit("/", 1)[-1])
            found.append({"method": method.upper(), "path": path, "summary": operation.get("summary", ""),
                          "description": operation.get("description", ""), "tag": (operation.get("tags") or [""])[0],
                          "scopes": scopes,
                          "parameters": [p for p in operation.get("parameters", []) if "name" in p],
                          "body": body, "statuses": sorted(operation.get("responses", {}))})
    return found


@pages.route("/api/docs")
def docs():
    document = rest.spec.to_dict()
    return render_template("api/docs.html", info=document["info"], operations=operations(document),
                           schemas=document.get("components", {}).get("schemas", {}),
                           document_url=url_for("api-docs.openapi_json"))

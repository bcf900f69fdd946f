"""The open JSON API under /api/v1/ (flask-smorest: OpenAPI 3 from the code, input validated by marshmallow),
personal access tokens on /me/tokens, OAuth 2.0 for partner platforms (/oauth/…) and the API's own docs page
at /api/docs."""
from http import HTTPStatus

from flask import Blueprint as PageBlueprint
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response

from api.schemas import ProblemSchema

PROBLEM = "application/problem+json"


class ChapterhouseApi(Api):
    """flask-smorest's Api, without its app-wide error handler: core/errors.py answers every error, and lets
    api/http.py answer those under /api/ as RFC 9457 problems."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None  # each operation lists the problems it may answer

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        """The error responses every operation may name (401, 404, 422…), as problems."""
        for status in HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)


class ApiBlueprint(Blueprint):
    """flask-smorest's Blueprint, with header parameters (If-None-Match) added to those of the query rather
    than replacing them, as a manual `parameters` list would (api/http.py document()), and each operation's
    `operationId` its view's name (`project_list`, `apply`): the names of a generated client's functions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks += [self._prepare_extra_parameters_doc, self._prepare_body_doc]

    @staticmethod
    def _prepare_body_doc(doc, doc_info, **kwargs):
        """An operation that reads a JSON body answers 400 to a body that is not JSON at all."""
        if "requestBody" in doc:
            doc.setdefault("responses", {}).setdefault("400", "BAD_REQUEST")  # a problem, as registered above
        return doc

    def _store_endpoint_docs(self, endpoint, obj, parameters, tags, **options):
        super()._store_endpoint_docs(endpoint, obj, parameters, tags, **options)
        for method, doc in self._docs[endpoint].items():
            if method.upper() in self.HTTP_METHODS:
                doc.setdefault("manual_doc", {}).setdefault("operationId", endpoint)

    @staticmethod
    def _prepare_extra_parameters_doc(doc, doc_info, **kwargs):
        extra = doc_info.get("extra_parameters")
        if extra:
            doc["parameters"] = [*doc.get("parameters", []), *extra]
        return doc


rest = ChapterhouseApi()
bp = ApiBlueprint("api", __name__, url_prefix="/api/v1",
                  description="Chapters, projects, sponsors and members; the member's own profile, applications "
                              "and notifications; the applications of the projects a lead runs; milestones' "
                              "submissions and reviews; sponsorship answers.")
pages = PageBlueprint("api_pages", __name__)  # /me/tokens and /api/docs: HTML pages with the site's layout

# Routes, seeders and generators register on import.
from api import (application_views, chapter_views, demo, docs, me_views, member_views,  # noqa: E402,F401
                 milestone_views, oauth_demo, oauth_models, oauth_services, oauth_views, project_views, scale,
                 sponsor_views, sponsorship_views, token_views)
from api.setup import init_app  # noqa: E402,F401

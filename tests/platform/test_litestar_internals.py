"""The private Litestar and uvicorn internals the service relies on, each checked so that an upgrade
that changes them fails here, loudly, instead of somewhere far away.

Pinned: litestar==2.25.0, uvicorn==0.54.0 (pyproject.toml).  None of these has a public API in those
versions; each test names where the service uses it.
"""

from __future__ import annotations

import importlib.metadata
import inspect

from litestar._kwargs.dependencies import resolve_dependency
from litestar._kwargs.kwargs_model import KwargsModel
from litestar._signature.model import _deserializer
from litestar.openapi.spec import OpenAPI
from litestar.routes import HTTPRoute
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.app import create_app
from service.config import load_settings
from service.http import deps
from service.http.openapi import _RefinedOpenAPI


def _app():
    return create_app(load_settings(environ={}, database_url="postgresql://unused@127.0.0.1:1/none"))


def test_the_pinned_versions_are_the_ones_these_checks_were_written_for():
    assert importlib.metadata.version("litestar") == "2.25.0"
    assert importlib.metadata.version("uvicorn") == "0.54.0"


def test_dependencies_in_order_replaces_kwargsmodel_resolve_dependencies():
    """service/http/deps.py: KwargsModel.resolve_dependencies (private), dependency_batches and
    resolve_dependency(dependency, connection, kwargs, cleanup_group)."""
    assert KwargsModel.resolve_dependencies is deps.resolve_dependencies_in_order
    assert "dependency_batches" in KwargsModel.__slots__
    assert list(inspect.signature(resolve_dependency).parameters) == ["dependency", "connection", "kwargs",
                                                                      "cleanup_group"]


def test_input_errors_find_each_handlers_kwargs_model_and_decoder():
    """service/http/input_errors.py: HTTPRoute.route_handler_map -> (handler, KwargsModel) with
    expected_query/header/path_params of ParameterDefinition; litestar._signature.model._deserializer."""
    app = _app()
    route = next(r for r in app.routes if isinstance(r, HTTPRoute) and r.path_format == "/expenses")
    handler, model = route.route_handler_map["GET"]
    names = {p.field_alias: p.field_name for p in model.expected_query_params}
    assert names["from"] == "from_" and {"is_required", "is_sequence"} <= set(type(next(
        iter(model.expected_query_params)))._fields)
    assert "from_" in handler.signature_model.__annotations__
    assert list(inspect.signature(_deserializer).parameters) == ["target_type", "value", "default_deserializer"]


def test_the_refined_openapi_document_keeps_its_config_out():
    """service/http/openapi.py: OpenAPI is a dataclass whose to_schema() honours _exclude_fields."""
    assert "_exclude_fields" in dir(OpenAPI)
    document = _app().openapi_schema.to_schema()
    assert "_config" not in document and "operationId" in document["paths"]["/tasks"]["get"]
    assert isinstance(_app().openapi_schema, _RefinedOpenAPI)


def test_the_joined_writes_protocol_still_owns_its_transport():
    """service/http/server.py: HttpToolsProtocol.connection_made sets self.transport; __init__ sets self.loop."""
    source = inspect.getsource(HttpToolsProtocol.connection_made)
    assert "self.transport = transport" in source
    assert "self.loop" in inspect.getsource(HttpToolsProtocol.__init__)

"""The pages' template engine and static files, both inside the package."""

from __future__ import annotations

from pathlib import Path

from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from finsam_service.web.format import FILTERS

__all__ = ["STATIC_PATH", "SWAGGER_PATH", "static_files", "template_config"]

HERE = Path(__file__).parent
STATIC_PATH = "/static"
SWAGGER_PATH = "/static/swagger-ui"


def _with_filters(engine: JinjaTemplateEngine) -> None:
    engine.engine.filters.update(FILTERS)
    engine.engine.globals["static"] = STATIC_PATH


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """Jinja2 over ``web/templates`` with the Swedish number and date filters (:mod:`.format`)."""
    return TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine, engine_callback=_with_filters)


def static_files() -> list[Router]:
    """The stylesheet (``/static``) and the OpenAPI UI's files (``/static/swagger-ui``, from the installed
    ``swagger-ui-bundle`` package), so that neither the pages nor ``/docs`` load anything from elsewhere."""
    import swagger_ui_bundle  # type: ignore[import-untyped]  # The package ships no type information.

    return [
        create_static_files_router(SWAGGER_PATH, [swagger_ui_bundle.swagger_ui_path], include_in_schema=False),
        create_static_files_router(STATIC_PATH, [HERE / "static"], include_in_schema=False),
    ]

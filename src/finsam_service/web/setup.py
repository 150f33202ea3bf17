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
    ``swagger-ui-py`` package: Swagger UI 5, which reads OpenAPI 3.1), so that neither the pages nor
    ``/docs`` load anything from elsewhere."""
    import swagger_ui  # type: ignore[import-untyped]  # The package ships no type information.

    swagger_files = Path(swagger_ui.__file__).parent / "static"
    return [
        create_static_files_router(SWAGGER_PATH, [swagger_files], include_in_schema=False),
        create_static_files_router(STATIC_PATH, [HERE / "static"], include_in_schema=False),
    ]

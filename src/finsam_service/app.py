"""create_app(settings): the one place where the service is put together."""

from __future__ import annotations

from litestar import Litestar
from litestar.datastructures import State
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from finsam_service.audit.controller import AuditController
from finsam_service.audit.published import PublishedController
from finsam_service.board.controller import BoardController
from finsam_service.budgets.controller import BudgetsController
from finsam_service.delegation.controller import DelegationController
from finsam_service.deps import DEPENDENCIES
from finsam_service.discharge.controller import DischargeController
from finsam_service.edge import DEFAULT_MAX_BODY, EdgeMiddleware
from finsam_service.errors import problem_details_plugin
from finsam_service.forbund.controller import ForbundController
from finsam_service.forbund.documents import ForbundDocumentsController
from finsam_service.forbund.members import MembersController
from finsam_service.health import HealthController
from finsam_service.idempotency import IdempotencyMiddleware
from finsam_service.lifespan import lifespan
from finsam_service.meetings.controller import MeetingsController
from finsam_service.meetings.documents import MinutesDocumentsController
from finsam_service.meetings.paragraphs.controller import ParagraphsController
from finsam_service.meetings.registers import RegistersController
from finsam_service.network.controller import NetworkController
from finsam_service.network.documents import NetworkDocumentsController
from finsam_service.observability import MetricsController, structlog_plugin
from finsam_service.openapi import document_edge_problems
from finsam_service.participants.controller import ParticipantBreakdownsController
from finsam_service.payments.controller import PaymentsController
from finsam_service.plans.controller import NetworkPlansController, PlansController
from finsam_service.reports.controller import ReportsController
from finsam_service.settings import Settings
from finsam_service.web import ForbundPages, NetworkPages, SessionPages, static_files, template_config
from finsam_service.web.setup import SWAGGER_PATH

__all__ = ["create_app"]


def create_app(settings: Settings | None = None) -> Litestar:
    """The Litestar app for ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    app = Litestar(
        route_handlers=[
            HealthController,
            MetricsController,
            ForbundController,
            MembersController,
            BoardController,
            MeetingsController,
            MinutesDocumentsController,
            ForbundDocumentsController,
            NetworkDocumentsController,
            ParagraphsController,
            RegistersController,
            BudgetsController,
            ReportsController,
            AuditController,
            PublishedController,
            NetworkController,
            PaymentsController,
            DelegationController,
            NetworkPages,
            ForbundPages,
            SessionPages,
            DischargeController,
            *static_files(),
            PlansController,
            NetworkPlansController,
            ParticipantBreakdownsController,
        ],
        template_config=template_config(),
        dependencies=DEPENDENCIES,
        lifespan=[lifespan],
        # The edge first (in one pass: the request id bound before anything logs, metrics, refusals of what is
        # malformed, unauthenticated or too large before any body is read, the rate limits once the caller is
        # known, the access line); retries are answered before the guards.
        middleware=[EdgeMiddleware(settings), IdempotencyMiddleware()],
        request_max_body_size=DEFAULT_MAX_BODY,
        state=State({"settings": settings}),
        plugins=[problem_details_plugin(), structlog_plugin(log_bodies=settings.log_bodies)],
        openapi_config=OpenAPIConfig(
            title="finsam",
            version="0.1.0",
            description="Samordningsförbundens protokoll, beslut och nätverksbild.",
            path="/docs",
            # The UI's files come from the installed swagger-ui-bundle package: /docs works offline.
            render_plugins=[
                SwaggerRenderPlugin(
                    path="/",
                    js_url=f"{SWAGGER_PATH}/swagger-ui-bundle.js",
                    css_url=f"{SWAGGER_PATH}/swagger-ui.css",
                    standalone_preset_js_url=f"{SWAGGER_PATH}/swagger-ui-standalone-preset.js",
                    favicon=f"<link rel='icon' type='image/png' href='{SWAGGER_PATH}/favicon-32x32.png'>",
                )
            ],
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", description="finsam API token")
                }
            ),
        ),
    )
    document_edge_problems(app)
    return app

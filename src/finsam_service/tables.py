"""An export table (:mod:`finsam_core.documents.exports`) as an HTTP response: CSV or XLSX, as a download."""

from __future__ import annotations

from typing import Literal

from litestar import Response

from finsam_core.documents.exports import Table, table_csv, table_xlsx
from finsam_service.openapi import XLSX_MEDIA_TYPE as XLSX

__all__ = ["table_response"]


def table_response(table: Table, format: Literal["csv", "xlsx"], name: str) -> Response[bytes]:
    """The table as ``format``, with a file name a browser saves it under."""
    if format == "xlsx":
        data, media_type = table_xlsx(table), XLSX
    else:
        data, media_type = table_csv(table), "text/csv; charset=utf-8"
    return Response(
        data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'}
    )

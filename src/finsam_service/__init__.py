"""finsam_service: the network service (Litestar over PostgreSQL projections) on top of finsam_core."""

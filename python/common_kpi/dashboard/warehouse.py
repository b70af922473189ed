"""The dashboard reads the warehouse through `common_kpi.warehouse` (one implementation for
every reader); this name is kept for imports that predate the move."""

from common_kpi.warehouse import (
    TableMissing,
    Warehouse,
    WarehouseError,
    bi_missing_message,
    bi_path,
    published_path,
)

__all__ = ["TableMissing", "Warehouse", "WarehouseError", "bi_missing_message", "bi_path", "published_path"]

"""App config of the catalog: its public reads are cached until a category or product changes."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from common.read_cache import read_cache_invalidate

# The generation of every cached catalog read (common/read_cache.py).
READ_CACHE_SCOPE = "catalog"


def catalog_changed(sender: Any, **kwargs: Any) -> None:
    """Every save and delete of a category or product, whoever makes it (services, imports, the
    admin through them), makes every cached catalog read stale."""
    read_cache_invalidate(READ_CACHE_SCOPE)


class CatalogConfig(AppConfig):
    name = "apps.catalog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from apps.catalog.models import Category, Product

        for model in (Category, Product):
            post_save.connect(catalog_changed, sender=model, dispatch_uid=f"saved_{model}")
            post_delete.connect(catalog_changed, sender=model, dispatch_uid=f"deleted_{model}")

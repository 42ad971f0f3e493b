"""Settings of the catalog service: the shared base plus the apps it owns."""

from common.settings import environment, service_settings

globals().update(
    service_settings(
        service="catalog",
        apps=["apps.catalog", "apps.inventory"],
        periodic_tasks={
            "expire-reservations": {
                "task": "catalog.reservations_expire",
                "schedule": environment.integer("RESERVATION_SWEEP_SECONDS", default=30, minimum=1),
            }
        },
    )
)

# How long stock stays held for an order that is neither paid nor cancelled.
RESERVATION_TTL_SECONDS = environment.integer("RESERVATION_TTL_SECONDS", default=1800, minimum=1)

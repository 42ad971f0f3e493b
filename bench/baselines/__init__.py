"""What Mercato is measured against, never part of the product: `floor` (Django's own floor),
`naive` (DRF as written without thinking) and `raw_celery` (Celery's own floor)."""

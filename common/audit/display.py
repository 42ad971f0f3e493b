"""JSON payloads in the admins: indented in a <pre>, shown and never edited."""

import json
from collections.abc import Callable

from django.contrib import admin
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.utils.html import format_html
from django.utils.safestring import SafeString


def pretty_json(value: object) -> SafeString:
    return format_html(
        '<pre class="mercato-json">{}</pre>',
        json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder),
    )


def json_display(field: str, *, description: str) -> Callable[[object, Model], SafeString]:
    """A read-only admin field showing the JSON in `field` pretty-printed; list it in
    `readonly_fields` and leave `field` itself out of the form (`exclude`)."""

    @admin.display(description=description)
    def show(model_admin: object, target: Model) -> SafeString:
        return pretty_json(getattr(target, field))

    return show

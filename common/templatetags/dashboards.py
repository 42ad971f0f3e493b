"""`{% dashboard_panels %}`: the panels of this service's dashboard the operator may read."""

from typing import Any

from django import template

from common.auth.operators import operator_scopes
from common.dashboards.registry import discover

register = template.Library()


@register.inclusion_tag("dashboards/panels.html", takes_context=True)
def dashboard_panels(context: template.Context) -> dict[str, Any]:
    return {"panels": discover().panels_for(operator_scopes(context["request"]))}

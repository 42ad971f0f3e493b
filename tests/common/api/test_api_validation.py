"""DRF's nested validation errors flattened to field paths."""

import pytest

from common.api.validation import field_errors


@pytest.mark.parametrize(
    ("detail", "flattened"),
    [
        (["Bad input."], {"non_field_errors": ["Bad input."]}),
        ({"address": {"zip": ["Too short."]}}, {"address.zip": ["Too short."]}),
        ({"lines": [{}, {"quantity": ["Too small."]}]}, {"lines.1.quantity": ["Too small."]}),
        ({"tags": {0: ["Not a string."]}}, {"tags.0": ["Not a string."]}),
        ({"email": "Invalid."}, {"email": ["Invalid."]}),
    ],
)
def test_field_errors_flattens_each_shape_drf_produces(detail, flattened):
    assert field_errors(detail) == flattened

"""English formats of the admin; `en-us`, the only language, falls back to them."""

"""The portal at the gateway's root, served by identity, and the page at each service's own root."""

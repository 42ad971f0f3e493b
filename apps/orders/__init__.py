"""Orders: what customers bought, at which frozen prices, and where the checkout saga stands."""

"""Every service's admin as operators see it: one look, one navigation, people by e-mail."""

"""Events between services: envelope, schemas, outbox, relay, inbox and dead letters (DESIGN §5)."""

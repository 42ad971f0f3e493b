"""Events between services: envelope, schemas, outbox, inbox, dead letters (docs/events.md)."""

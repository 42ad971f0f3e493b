"""`naive`: DRF ModelViewSets and nested ModelSerializers over Mercato's own tables, with the
defaults (their N+1 queries, a connection per request), as code written without thinking is."""

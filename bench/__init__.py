"""`make bench`: Mercato against baselines measured in the same run (docs/performance.md)."""

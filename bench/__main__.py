"""`python -m bench`: runs every scenario, prints the table and writes bench/results/latest.json."""

from bench.run import main

raise SystemExit(main())

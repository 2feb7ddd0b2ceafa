"""``python -m bench [--long] [--runs N] [--only PARTS]``: run the benchmarks, print the table."""

from bench.main import main

raise SystemExit(main())

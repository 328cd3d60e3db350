"""``python -m bench`` (what ``bin/bench`` runs): see bench/runner.py."""

from bench.runner import main

raise SystemExit(main())

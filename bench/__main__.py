"""``python -m bench`` runs the inventory benchmark; ``python -m bench pages`` the pages'."""

import sys

if len(sys.argv) > 1 and sys.argv[1] == "pages":
    del sys.argv[1]
    from bench.pages_bench import main
else:
    from bench.inventory_bench import main

main()

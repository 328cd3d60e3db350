from bench.inventory_bench import main

main()

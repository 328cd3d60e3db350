"""Command line entry point: ``python -m simulator --host 127.0.0.1 --port 8100``."""

import argparse
import signal
import sys
import threading
from pathlib import Path

from simulator.server import SimulatorServer
from simulator.state import Simulator


def positive_number(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text}")
    return value


def non_negative_number(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be zero or more, not {text}")
    return value


def parse_arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description=(
            "Local Amazon Selling Partner API simulator: Login with Amazon token endpoint, "
            "Orders API 2026-01-01 (searchOrders, getOrder) with Amazon's rate limits, and a "
            "JSON control API under /_simulator/ to register sellers, create, generate or "
            "stream orders, inject faults and move the clock."
        ),
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=8100, help="port to bind; 0 picks a free one (default: 8100)"
    )
    parser.add_argument(
        "--state-file",
        type=Path,
        default=None,
        help="JSON file the state is kept in and restored from on start "
        "(default: none, state lives in memory only)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed for generated data and fault draws, for repeatable runs (default: random)",
    )
    parser.add_argument(
        "--time-scale",
        type=positive_number,
        default=1.0,
        help="rate-limit buckets refill this many times faster than Amazon's published rates, "
        "e.g. 60 for tests and benchmarks (default: 1)",
    )
    parser.add_argument(
        "--no-rate-limits",
        action="store_true",
        help="never answer 429 and announce no rate (no x-amzn-RateLimit-Limit header), so "
        "clients that pace by that header go as fast as their own settings allow",
    )
    parser.add_argument(
        "--save-interval",
        type=positive_number,
        default=1.0,
        help="seconds between saves of a changed state to --state-file (default: 1)",
    )
    parser.add_argument(
        "--advance-every",
        type=non_negative_number,
        default=0.0,
        help="move generated orders one lifecycle step every N simulated seconds, scaled by "
        "--time-scale; 0 leaves it to POST /_simulator/advance (default: 0)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser.parse_args(argv)


def run(arguments: argparse.Namespace) -> int:
    try:
        simulator = Simulator(
            state_file=arguments.state_file,
            seed=arguments.seed,
            time_scale=arguments.time_scale,
            rate_limits=not arguments.no_rate_limits,
        )
    except (OSError, ValueError, KeyError) as error:
        print(f"Cannot read state file {arguments.state_file}: {error}", file=sys.stderr)
        return 2
    if arguments.advance_every:
        simulator.configure({"advance_every": arguments.advance_every})
    server = SimulatorServer(
        (arguments.host, arguments.port), simulator, log_requests=arguments.verbose
    )
    host, port = server.server_address[:2]

    stopping = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stopping.set())

    threading.Thread(target=server.serve_forever, name="http", daemon=True).start()
    threading.Thread(
        target=_keep_saving, args=(simulator, stopping, arguments.save_interval), daemon=True
    ).start()
    threading.Thread(target=_keep_advancing, args=(simulator, stopping), daemon=True).start()
    threading.Thread(target=_keep_streaming, args=(simulator, stopping), daemon=True).start()
    print(f"Simulator listening on http://{host}:{port}", flush=True)

    stopping.wait()
    server.shutdown()
    server.server_close()
    simulator.save()
    return 0


def _keep_saving(simulator: Simulator, stopping: threading.Event, interval: float) -> None:
    while not stopping.wait(interval):
        if simulator.changed.is_set():
            try:
                simulator.save()
            except OSError as error:
                print(f"Could not save state: {error}", file=sys.stderr, flush=True)


def _keep_advancing(simulator: Simulator, stopping: threading.Event) -> None:
    waited = 0.0
    tick = 0.1
    while not stopping.wait(tick):
        every = simulator.advance_every
        if not every:
            waited = 0.0
            continue
        waited += tick
        if waited * simulator.rate_limiter.time_scale >= every:
            waited = 0.0
            simulator.advance({"steps": 1, "fraction": simulator.advance_fraction})


def _keep_streaming(simulator: Simulator, stopping: threading.Event) -> None:
    while not stopping.wait(0.1):
        simulator.run_due_streams()


if __name__ == "__main__":
    sys.exit(run(parse_arguments()))

"""The Afosto simulator for the bench, in a process of its own on 127.0.0.1.

``python -m bench.simproc`` serves ``tui_pos.sim.Simulator`` with two additions made
here, through its public knobs:

- a larger catalogue (``EXTRA_SKUS``: valid EAN-13 codes with GS1 prefix 20, prices in
  whole dimes so no total ends in a terminal test amount), for sales of 500 lines;
- an ordered log of every API request, ``GET /_bench/log``: the simulator's own
  ``requests`` Counter tells how many, the log also tells in which order and when
  (monotonic time, shared by every process on the machine), so round trips between two
  moments can be counted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import urllib.request
from collections.abc import Mapping
from typing import Any

from tui_pos.gtin import check_digit
from tui_pos.sim import Simulator, serve_forever
from tui_pos.sim import state as sim_state
from tui_pos.sim.app import Arrival
from tui_pos.sim.catalog import CATALOG, Product
from tui_pos.sim.responses import SimResponse, json_response

EXTRA = 1200


def extra_sku(index: int) -> str:
    body = f"20{index:010d}"
    return body + check_digit(body)


EXTRA_SKUS = [extra_sku(i) for i in range(EXTRA)]


class LoggingSimulator(Simulator):
    """The simulator, remembering each API request's operations and arrival time (told
    by its ``observers`` hook) and serving them at ``/_bench/log``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.log: list[tuple[float, list[str]]] = []
        self.observers.append(self._record)

    def _record(self, arrival: Arrival) -> None:
        self.log.append((arrival.at, list(arrival.operations)))

    async def handle(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> SimResponse:
        if path == "/_bench/log":
            return json_response(200, {"data": self.log})
        return await super().handle(method, path, headers, body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--terminal-delay", type=float, default=0.5)
    parser.add_argument("--invoice-delay", type=float, default=0.0)
    args = parser.parse_args()
    products = {
        sku: Product(sku, f"Artikel {i:04d}", 100 + 10 * (i % 40))
        for i, sku in enumerate(EXTRA_SKUS)
    }
    sim_state.CATALOG = {**CATALOG, **products}  # type: ignore[misc]
    sim = LoggingSimulator(
        latency=args.latency,
        terminal_delay=args.terminal_delay,
        invoice_delay=args.invoice_delay,
    )
    serve_forever(sim, "127.0.0.1", 0)


class SimProcess:
    """``with SimProcess(latency=...) as sim:`` a simulator process; ``sim.url``."""

    def __init__(
        self, latency: float = 0.05, terminal_delay: float = 0.5, invoice_delay: float = 0.0
    ) -> None:
        self.args = [
            "--latency",
            str(latency),
            "--terminal-delay",
            str(terminal_delay),
            "--invoice-delay",
            str(invoice_delay),
        ]

    def __enter__(self) -> SimProcess:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.simproc", *self.args],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if " on " not in line:
            self.proc.kill()
            raise RuntimeError(f"the simulator did not start: {line!r}")
        self.url = line.split(" on ", 1)[1].split()[0]
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def _call(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())["data"]

    def log(self) -> list[tuple[float, list[str]]]:
        return [(at, ops) for at, ops in self._call("/_bench/log")]

    def settings(self, **changes: Any) -> Any:
        return self._call("/_sim/settings", changes)


if __name__ == "__main__":
    main()

"""A real HTTP/1.1 server for the simulator: asyncio streams plus h11.

Each connection is served by its own task with keep-alive, so a long-held terminal
call on one connection never blocks another. A ``DropConnection`` from the simulator
aborts the socket without an answer; a client that disconnects mid-request abandons
its request (a terminal transaction it started still settles).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any

import h11

from tui_pos.sim.app import Simulator
from tui_pos.sim.errors import DropConnection
from tui_pos.sim.faults import DrippedResponse
from tui_pos.sim.responses import SimResponse, rest_error

READ_SIZE = 65536
MAX_BODY = 1 << 20


class SimServer:
    """Serves a Simulator on ``host:port`` in the running event loop while entered.

    ``port=0`` picks a free port; ``server.port`` and ``server.base_url`` tell which.
    """

    def __init__(self, sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.sim = sim
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[Any]] = set()

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def __aenter__(self) -> SimServer:
        self._server = await asyncio.start_server(self._accept, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        for task in self._connections:
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await self._server.wait_closed()

    def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # A task of our own, not asyncio's callback task: Python 3.11 logs an error when
        # that one ends cancelled, and cancelling is how __aexit__ closes connections.
        task = asyncio.create_task(self._serve_connection(reader, writer))
        self._connections.add(task)
        task.add_done_callback(self._connections.discard)

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            await _Connection(self.sim, reader, writer).serve()
        except (ConnectionError, h11.ProtocolError):
            pass  # the client went away or spoke something other than HTTP/1.1
        finally:
            writer.close()


class _Connection:
    """One client socket: a loop of request, simulator, response."""

    def __init__(
        self, sim: Simulator, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.sim = sim
        self.reader = reader
        self.writer = writer
        self.h11 = h11.Connection(h11.SERVER)

    async def serve(self) -> None:
        while True:
            try:
                request = await self._next_event()
                if not isinstance(request, h11.Request):
                    return  # ConnectionClosed
                body = await self._read_body()
            except h11.RemoteProtocolError as error:
                await self._send(rest_error(error.error_status_hint, str(error)))
                return
            if body is None:
                await self._send(rest_error(413, f"bodies are limited to {MAX_BODY} bytes"))
                return
            headers = {
                name.decode("latin-1"): value.decode("latin-1") for name, value in request.headers
            }
            try:
                response = await self._until_disconnect(
                    request.method.decode("ascii"), request.target.decode("latin-1"), headers, body
                )
            except DropConnection:
                self.writer.transport.abort()
                return
            if response is None:
                return
            await self._send(response)
            if self.h11.our_state is h11.MUST_CLOSE:
                return
            self.h11.start_next_cycle()

    async def _next_event(self) -> Any:
        while True:
            event = self.h11.next_event()
            if event is not h11.NEED_DATA:
                return event
            self.h11.receive_data(await self.reader.read(READ_SIZE))

    async def _read_body(self) -> bytes | None:
        """The request body, or None when it is too large."""
        body = bytearray()
        while True:
            event = await self._next_event()
            if isinstance(event, h11.EndOfMessage):
                return bytes(body)
            if isinstance(event, h11.ConnectionClosed):
                raise ConnectionResetError("closed mid-request")
            body += event.data
            if len(body) > MAX_BODY:
                return None

    async def _until_disconnect(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> SimResponse | None:
        """The simulator's answer, or None if the client hung up first (request abandoned)."""
        handler = asyncio.ensure_future(self.sim.handle(method, target, headers, body))
        try:
            while True:
                reading = asyncio.ensure_future(self.reader.read(READ_SIZE))
                try:
                    await asyncio.wait({handler, reading}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    if not reading.done():
                        reading.cancel()
                        await asyncio.wait({reading})
                if not reading.cancelled():
                    data = reading.result()
                    if not data and not handler.done():
                        return None
                    self.h11.receive_data(data)  # pipelined bytes or EOF, for the next cycle
                if handler.done():
                    return handler.result()
        finally:
            if not handler.done():
                handler.cancel()
                await asyncio.wait({handler})

    async def _send(self, response: SimResponse) -> None:
        headers = [*response.headers, ("content-length", str(len(response.body)))]
        events = (
            h11.Response(status_code=response.status, headers=headers),
            h11.Data(data=response.body),
            h11.EndOfMessage(),
        )
        with contextlib.suppress(h11.LocalProtocolError):  # too late to answer: just close
            data = [self.h11.send(event) or b"" for event in events]
            if isinstance(response, DrippedResponse):
                await self._drip(data[0], data[1] + data[2], response.every)
                return
            self.writer.write(b"".join(data))
        await self.writer.drain()

    async def _drip(self, head: bytes, body: bytes, every: float) -> None:
        """The head at once, then the body one byte every ``every`` seconds (a client that
        hangs up meanwhile ends it: the drain raises ConnectionError)."""
        self.writer.write(head)
        await self.writer.drain()
        for index in range(len(body)):
            await asyncio.sleep(every)
            if self.writer.is_closing() or self.reader.at_eof():
                raise ConnectionResetError("the client hung up mid-drip")
            self.writer.write(body[index : index + 1])
            await self.writer.drain()


async def _serve_until_stopped(
    sim: Simulator, host: str, port: int, stop: asyncio.Event, ready: Callable[[str], None]
) -> None:
    async with SimServer(sim, host, port) as server:
        ready(server.base_url)
        await stop.wait()


def serve_forever(sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> None:
    """Serves until Ctrl+C or SIGTERM, announcing the address on one line."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        token = ", ".join(sorted(sim.tokens)) or "none"

        def announce(base_url: str) -> None:
            print(f"Afosto simulator on {base_url} (token: {token})", flush=True)

        await _serve_until_stopped(sim, host, port, stop, announce)

    asyncio.run(main())


@contextlib.contextmanager
def run_in_thread(sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serves ``sim`` from a background thread with its own event loop; yields the base URL."""
    started = threading.Event()
    found: dict[str, Any] = {}

    async def main() -> None:
        found["loop"] = asyncio.get_running_loop()
        found["stop"] = stop = asyncio.Event()

        def ready(base_url: str) -> None:
            found["base_url"] = base_url
            started.set()

        await _serve_until_stopped(sim, host, port, stop, ready)

    def run() -> None:
        try:
            asyncio.run(main())
        except BaseException as error:  # handed to the caller below
            found["error"] = error
        finally:
            started.set()

    thread = threading.Thread(target=run, name="afosto-sim", daemon=True)
    thread.start()
    started.wait()
    if "error" in found:
        thread.join()
        raise found["error"]
    try:
        yield found["base_url"]
    finally:
        found["loop"].call_soon_threadsafe(found["stop"].set)
        thread.join()

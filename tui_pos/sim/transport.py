"""An httpx transport that hands requests straight to a Simulator, with no socket.

For the in-process demo and cashier training: the client code runs unchanged, and a
dropped connection surfaces exactly as httpx reports it for a real server.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx

from tui_pos.sim.app import Simulator
from tui_pos.sim.errors import DropConnection
from tui_pos.sim.faults import DrippedResponse


class SimTransport(httpx.AsyncBaseTransport):
    """``httpx.AsyncClient(transport=SimTransport(sim), base_url=...)`` talks to ``sim``.

    The request's scheme and host become the base of URLs the simulator hands out, and
    the client's read timeout is enforced as if the answer came over a network. A
    dripped answer's body comes one byte every so often, as from the socket server.
    """

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        headers = {name: value for name, value in request.headers.items()}
        headers["x-forwarded-proto"] = request.url.scheme
        timeouts = request.extensions.get("timeout", {})
        try:
            async with asyncio.timeout(timeouts.get("read")):
                response = await self.sim.handle(
                    request.method, request.url.raw_path.decode("ascii"), headers, body
                )
        except DropConnection:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from None
        except TimeoutError:
            raise httpx.ReadTimeout(
                "timed out waiting for the simulator", request=request
            ) from None
        if isinstance(response, DrippedResponse):
            stream = _Drip(response.body, response.every)
            length = [("content-length", str(len(response.body)))]
            return httpx.Response(
                response.status,
                headers=[*response.headers, *length],
                stream=stream,
                request=request,
            )
        return httpx.Response(
            response.status, headers=list(response.headers), content=response.body, request=request
        )


class _Drip(httpx.AsyncByteStream):
    """A body that comes one byte every ``every`` seconds."""

    def __init__(self, body: bytes, every: float) -> None:
        self.body = body
        self.every = every

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for index in range(len(self.body)):
            await asyncio.sleep(self.every)
            yield self.body[index : index + 1]

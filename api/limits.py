"""Request limits at the edge.

- Size: a declared Content-Length over the limit is refused at once, and a streamed body is cut off
  when it passes the limit.
- Requests in flight: sync routes, their dependencies and the validation of their responses run on
  worker threads, and they may wait there for a database connection. If every thread waited for a
  connection whose holder needed a thread to finish its response, nothing would move (seen with 50
  clients on SQLite). So fewer requests are let in than there are threads; the rest wait here,
  costing no thread."""

import asyncio
import json

from starlette.types import ASGIApp, Receive, Scope, Send

from core.limits import JSON_LIMIT, NAV_STREAM_LIMIT, UPLOAD_LIMIT


class RequestSizeLimit:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        limit = UPLOAD_LIMIT if path.startswith("/import/") else JSON_LIMIT
        if path.startswith("/nav-import/api/v1/transfers/") and not path.startswith("/nav-import/api/v1/transfers/batch/"):
            limit = NAV_STREAM_LIMIT
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _refuse(send, limit)
            return
        received = 0
        refused = False
        started = False

        async def counting_receive():
            # Past the limit the app is told the client went away (an exception here would reach
            # FastAPI's body parser and come out as 400), and its answer is replaced by a 413.
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                refused = True
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            nonlocal started
            if refused and not started:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not refused:
                raise
        if refused and not started:
            await _refuse(send, limit)


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"Forespørselen er for stor (høyst {limit // 1024 // 1024} MB).", "field": "body"})
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body.encode()})


WORKER_THREADS = 64
IN_FLIGHT = 48  # < WORKER_THREADS: some threads are always free to finish a response


class InFlightLimit:
    def __init__(self, app: ASGIApp, limit: int = IN_FLIGHT):
        self.app = app
        self.semaphore = asyncio.Semaphore(limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async with self.semaphore:
            await self.app(scope, receive, send)


def widen_thread_pool() -> None:
    """Give sync routes more worker threads than requests in flight (see above)."""
    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS

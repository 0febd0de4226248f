"""Request size limits, enforced before a body is read: a declared Content-Length over the limit is
refused at once, and a streamed body is cut off when it passes the limit."""

import json

from starlette.types import ASGIApp, Receive, Scope, Send

JSON_LIMIT = 2 * 1024 * 1024  # ordinary requests; a bulk of 500 vacancies is about 400 KB
UPLOAD_LIMIT = 11 * 1024 * 1024  # spreadsheet imports (the importer itself refuses files over 10 MB)


class BodyTooLarge(Exception):
    pass


class RequestSizeLimit:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = UPLOAD_LIMIT if scope["path"].startswith("/import/") else JSON_LIMIT
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _refuse(send, limit)
            return
        received = 0

        async def counting_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge()
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BodyTooLarge:
            await _refuse(send, limit)


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"Forespørselen er for stor (høyst {limit // 1024 // 1024} MB).", "field": "body"})
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body.encode()})

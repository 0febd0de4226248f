"""Security headers on every answer.

- Content-Security-Policy: the pages load only the app's own scripts and styles (no inline script,
  style or handler anywhere in the templates), may not be framed, and post forms only to the app.
  The interactive API documentation (/docs, /redoc, assets under /docs-assets) starts with an inline
  script of FastAPI's, so its scripts are not restricted; it may not be framed, and images and requests
  stay on this service (ReDoc would otherwise fetch its logo from a CDN). It shows no personal data.
- X-Content-Type-Options, Referrer-Policy (addresses hold ids; they are not sent to other sites),
  X-Frame-Options for browsers without CSP.
- Cache-Control: no-store on pages and API answers (they carry personal data, and a shared computer's
  browser or a proxy must not keep them); the package's static files keep their normal caching."""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
               "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
DOCS_POLICY = "frame-ancestors 'none'; img-src 'self' data:; connect-src 'self'"
DOCS_PATHS = ("/docs", "/redoc")
CACHEABLE_PREFIXES = ("/app/static/",)
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        docs = path.startswith(DOCS_PATHS)
        cacheable = path.startswith(CACHEABLE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", DOCS_POLICY if docs else PAGE_POLICY)
                if not cacheable and not docs:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)

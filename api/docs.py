"""The interactive API documentation, served without internet, and what it says.

- /docs (Swagger UI) and /redoc load their scripts from the installed `fastapi-offline` package (MIT;
  Swagger UI and ReDoc bundled), served under /docs-assets, never from a CDN: an employer's integrator
  at a customer without internet access, or a closed network, still gets a working page.
- Each operation's description says which roles may call it, read from the route's declared policy
  (the same object that enforces it, so the text cannot drift from the rule).
- The description lists the certificate codes with their Norwegian names, from the one catalogue."""

from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

from api.deps import Policy, PublicPolicy
from core.labels import CERTIFICATE, ROLE

ASSETS = "/docs-assets"  # under /docs: the docs' security headers and normal caching apply


def certificate_table() -> str:
    rows = "\n".join(f"| `{code}` | {name} |" for code, name in CERTIFICATE.items())
    return ("**Sertifikatkoder** (`certificates[].code`, `required_certificates`):\n\n| kode | betyr |\n|---|---|\n"
            + rows + "\n")


def _policy(dependant) -> Policy | PublicPolicy | None:
    if isinstance(dependant.call, Policy | PublicPolicy):
        return dependant.call
    for sub in dependant.dependencies:
        found = _policy(sub)
        if found is not None:
            return found
    return None


def access_text(policy: Policy | PublicPolicy | None) -> str:
    if policy is None or isinstance(policy, PublicPolicy):
        return "**Tilgang:** åpen (uten innlogging)."
    order = [r for r in ROLE if r in {str(x) for x in policy.roles}]
    names = ", ".join(f"{ROLE[r].lower()} (`{r}`)" for r in order)
    return f"**Tilgang:** {names}."


def api_routes(routes, prefix: str = "") -> list[tuple[str, APIRoute]]:
    """Every APIRoute with its full path, also inside included routers (FastAPI nests them and keeps the
    prefix on the include)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append((prefix + route.path_format, route))
        elif hasattr(route, "original_router"):
            context = getattr(route, "include_context", None)
            found.extend(api_routes(route.original_router.routes, prefix + (context.prefix if context else "")))
    return found


def _add_roles(schema: dict, app: FastAPI) -> None:
    for path, route in api_routes(app.routes):
        if not route.include_in_schema:
            continue
        operations = schema.get("paths", {}).get(path, {})
        for method in route.methods:
            operation = operations.get(method.lower())
            if operation is not None:
                text = access_text(_policy(route.dependant))
                operation["description"] = (operation.get("description", "").rstrip() + "\n\n" + text).lstrip()


def install(app: FastAPI) -> None:
    """Call with `docs_url=None, redoc_url=None` on the app; adds the offline pages and the texts."""
    app.mount(ASSETS, StaticFiles(directory=str(files("fastapi_offline") / "static")), name="docs-assets")
    oauth2_redirect = "/docs/oauth2-redirect"

    # Plain Starlette routes, like FastAPI's own docs routes: public pages with no data, no API operation.
    async def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}", title=f"{app.title}: API-dokumentasjon",
            oauth2_redirect_url=f"{root}{oauth2_redirect}", swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS}/swagger-ui.css", swagger_favicon_url=f"{root}{ASSETS}/favicon.png",
            swagger_ui_parameters=app.swagger_ui_parameters)

    async def swagger_redirect(_request: Request) -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(openapi_url=f"{root}{app.openapi_url}", title=f"{app.title}: API-dokumentasjon",
                              redoc_js_url=f"{root}{ASSETS}/redoc.standalone.js", with_google_fonts=False,
                              redoc_favicon_url=f"{root}{ASSETS}/favicon.png")

    app.add_route("/docs", swagger, include_in_schema=False)
    app.add_route(oauth2_redirect, swagger_redirect, include_in_schema=False)
    app.add_route("/redoc", redoc, include_in_schema=False)

    earlier = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = earlier()
            _add_roles(schema, app)
            schema["info"]["description"] = schema["info"].get("description", "") + "\n" + certificate_table()
        return app.openapi_schema

    app.openapi = openapi

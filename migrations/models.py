"""Every table module, imported so the metadata is complete (for Alembic and the tests).
Lives here, not in core, because core must not import the domain packages."""

from sqlalchemy import MetaData


def import_models() -> MetaData:
    import accounts.models  # noqa: F401
    import agenda.models  # noqa: F401
    import candidates.models  # noqa: F401
    import core.audit  # noqa: F401
    import core.projects  # noqa: F401
    import employers.models  # noqa: F401
    import jobs.models  # noqa: F401
    import matching.models  # noqa: F401
    import nav.models  # noqa: F401
    import placement.models  # noqa: F401
    import plans.models  # noqa: F401
    import programme.models  # noqa: F401
    import readiness.models  # noqa: F401
    import selfservice.models  # noqa: F401
    from core.db import metadata

    return metadata

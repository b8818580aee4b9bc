"""What the apps hand the core: the core knows no app, as Django's admin knows no model until an app
registers it. Each app calls these functions from its own ``AppConfig.ready()``; the core composes what
was registered (the open data API, the demo, the daily jobs, the backup, the page cache's scopes).

Registering the same thing twice (``ready()`` may run again in tests) keeps one entry.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django.tasks import Task
    from ninja import Router


@dataclass(frozen=True)
class StoredFile:
    """A file an app keeps under MEDIA_ROOT whose bytes the backup checks: its name (relative to
    MEDIA_ROOT), the checksum the app recorded, and what the manifest notes about it besides."""

    name: str
    recorded_sha256: str
    about: dict[str, Any] = field(default_factory=dict)


@dataclass
class Demo:
    """Shared by the demo loaders while ``manage.py load_demo`` runs: the role scopes by key (an
    organisation's or county's code, a body's abbreviation…) that later loaders assign roles in, and the
    lines the command prints when all is loaded."""

    scopes: dict[str, Any] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class WorkspaceEntry:
    """A part of the county administrator's workspace (/administration/): a page of the app, which takes
    the county's code as its ``code`` argument unless ``per_county`` is False."""

    key: str
    label: str
    description: str
    url_name: str
    order: int
    per_county: bool = True


DemoLoader = Callable[[Demo], None]
StoredFiles = Callable[[], Iterable[StoredFile]]

_api_routers: dict[int, "Router"] = {}
_demo_loaders: dict[int, str] = {}
_daily_jobs: list[str] = []
_stored_files: list[StoredFiles] = []
_counted_models: list[str] = []
_cache_scopes: list[str] = []
_role_providers: dict[str, Any] = {}  # role -> a samverkan.roles.RoleProvider
_workspace_entries: dict[str, WorkspaceEntry] = {}


def _claim(registry: dict[int, Any], order: int, item: Any, what: str) -> None:
    if registry.get(order, item) != item:
        raise ValueError(f"{what}: order {order} is already taken by {registry[order]!r}")
    registry[order] = item


def register_api_router(router: "Router", *, order: int) -> None:
    """Mount ``router`` on the open data API; routers are mounted by ascending ``order`` (which also
    orders the OpenAPI document)."""
    _claim(_api_routers, order, router, "API router")


def api_routers() -> list["Router"]:
    return [_api_routers[order] for order in sorted(_api_routers)]


def register_demo_loader(loader_path: str, *, order: int) -> None:
    """Run the loader named by its dotted path (a ``DemoLoader``) in ``manage.py load_demo``, inside one
    transaction, by ascending ``order``: a loader finds what lower orders made (in the database and in
    ``Demo.scopes``). By name, so that the demo code (and the services and tasks it imports) is not
    loaded while Django starts."""
    _claim(_demo_loaders, order, loader_path, "Demo loader")


def demo_loaders() -> list[DemoLoader]:
    return [import_string(_demo_loaders[order]) for order in sorted(_demo_loaders)]


def register_daily_job(task_path: str) -> None:
    """Queue the task named by its dotted path ("agreements.tasks.notice_alerts_run"), without arguments,
    every day from ``manage.py enqueue_daily_jobs``. By name, so that registering does not import the
    task module (and its backend) while Django starts."""
    if task_path not in _daily_jobs:
        _daily_jobs.append(task_path)


def daily_jobs() -> list["Task"]:
    return [import_string(path) for path in _daily_jobs]


def register_stored_files(files: StoredFiles) -> None:
    """``files()`` lists the app's stored files whose checksums the backup records and a restore checks."""
    if files not in _stored_files:
        _stored_files.append(files)


def stored_files() -> list[StoredFile]:
    return [stored for files in _stored_files for stored in files()]


def register_counted_models(*labels: str) -> None:
    """Models ("app.Model") whose row counts the backup manifest records and a restore compares."""
    _counted_models.extend(label for label in labels if label not in _counted_models)


def counted_models() -> list[str]:
    return list(_counted_models)


def register_cache_scope(scope: str) -> None:
    """A scope of the page cache (samverkan/pagecache.py): the app's writes make its pages stale with
    ``pagecache.bump(scope)``; a change that touches everything bumps every registered scope."""
    if scope not in _cache_scopes:
        _cache_scopes.append(scope)


def cache_scopes() -> tuple[str, ...]:
    return tuple(_cache_scopes)


def register_role_provider(provider: Any) -> None:
    """The app records ``provider.roles`` itself (e.g. a body's chair as a membership): the core's role
    pages, start page and ``selectors.holders_of`` ask the provider about those roles."""
    for role in provider.roles:
        if _role_providers.get(role, provider).kind != provider.kind:
            raise ValueError(f"Role {role!r} is already recorded by {_role_providers[role].kind!r}")
        _role_providers[role] = provider


def role_provider(role: str) -> Any:
    """The provider (a ``samverkan.roles.RoleProvider``) that records ``role``, or None for the roles the
    core records."""
    return _role_providers.get(role)


def role_providers() -> list[Any]:
    """Each registered provider once."""
    return list({p.kind: p for p in _role_providers.values()}.values())


def register_workspace_entry(entry: WorkspaceEntry) -> None:
    """Offer a page in the county administrator's workspace; entries are listed by ascending ``order``."""
    _workspace_entries[entry.key] = entry


def workspace_entries() -> list[WorkspaceEntry]:
    return sorted(_workspace_entries.values(), key=lambda entry: entry.order)


# --- Sign-in: what an app adds to the login page and to logging out ---
LoginPanel = Callable[[Any], str]  # (request) -> HTML shown on the login page above the password form
LogoutHook = Callable[[Any], str | None]  # (request, before the session ends) -> where to go next, or None

_login_panels: dict[int, str] = {}
_logout_hooks: dict[int, str] = {}


def register_login_panel(panel_path: str, *, order: int) -> None:
    """A part of the login page (e.g. "which organisation do you work for?"), by name."""
    _claim(_login_panels, order, panel_path, "Login panel")


def login_panels() -> list[LoginPanel]:
    return [import_string(_login_panels[order]) for order in sorted(_login_panels)]


def register_logout_hook(hook_path: str, *, order: int) -> None:
    """Called as a person logs out, before the session ends; the first URL a hook returns is where the
    browser goes next (e.g. the identity provider's single logout)."""
    _claim(_logout_hooks, order, hook_path, "Logout hook")


def logout_hooks() -> list[LogoutHook]:
    return [import_string(_logout_hooks[order]) for order in sorted(_logout_hooks)]

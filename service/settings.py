"""Settings, read from the environment once, by whoever builds the app or runs a command."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from service.db.clusterplace import SERVER_USER as SUPERUSER
from service.db.clusterplace import cluster_root
from service.db.roles import LOADER_ROLE, SERVICE_ROLE

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class DatabaseSettings(BaseSettings):
    """Where the data lives and how the service talks to it."""

    model_config = SettingsConfigDict(env_prefix="DB_", extra="ignore")

    url: str | None = Field(
        default=None,
        validation_alias="DATABASE_URL",
        description="PostgreSQL URL; unset means the managed local PostGIS under the data dir.",
    )
    pool_min_size: int = Field(default=2, ge=0)
    pool_max_size: int = Field(default=10, ge=1)
    statement_timeout_ms: int = Field(default=5000, ge=100)
    connect_timeout_s: float = Field(default=5.0, gt=0)
    acquire_timeout_s: float = Field(
        default=3.0,
        gt=0,
        description="Longest a request waits for a pooled connection (then 503: all busy or "
        "the database unreachable).",
    )
    startup_wait_s: float = Field(
        default=30.0, ge=0, description="How long the service waits for the database at start."
    )
    read_urls: str = Field(
        default="",
        validation_alias="DATABASE_READ_URLS",
        description="Comma-separated URLs of streaming replicas that lookups read from; "
        "writes (usage counts) and loads stay on DATABASE_URL, the primary. Empty: every read "
        "goes to the primary.",
    )
    replica_check_s: float = Field(
        default=2.0, gt=0, description="How often each process checks every replica's state."
    )
    replica_max_lag_s: float = Field(
        default=30.0,
        gt=0,
        description="A replica whose replay is further behind than this leaves rotation.",
    )
    replica_max_behind_s: float = Field(
        default=10.0,
        ge=0,
        description="A replica still serving an older data version than the primary's this long "
        "after the primary changed leaves rotation (until it catches up).",
    )

    @property
    def read_url_list(self) -> list[str]:
        """DATABASE_READ_URLS split into its URLs."""
        return [url.strip() for url in self.read_urls.split(",") if url.strip()]


class LocalDatabaseSettings(BaseSettings):
    """The managed local PostGIS cluster used when DATABASE_URL is unset."""

    model_config = SettingsConfigDict(env_prefix="ADDRESS_LOOKUP_", extra="ignore")

    data_dir: Path = Field(default=PROJECT_ROOT / ".data")
    pg_bin_dir: Path | None = Field(
        default=None,
        description="Folder holding initdb and pg_ctl; found automatically when unset.",
    )
    database_name: str = Field(default="address_lookup", pattern=r"^[a-z_][a-z0-9_]{0,62}$")

    @property
    def root(self) -> Path:
        """Where the cluster really lives: the data dir, or for root a folder the postgres
        user can reach when the data dir is under a private one (service.db.clusterplace)."""
        return cluster_root(self.data_dir)

    @property
    def run_dir(self) -> Path:
        """The cluster's socket and server log."""
        return self.root / "run"

    def url_as(self, role: str) -> str:
        """The URL of the managed database for a role, through its socket (it listens on no
        TCP port, and only the cluster's owner can open the socket's folder)."""
        host = quote(str(self.run_dir), safe="/")
        return f"postgresql://{role}@/{self.database_name}?host={host}"

    @property
    def url(self) -> str:
        """The superuser's URL: for setting the cluster up, and for the tests."""
        return self.url_as(SUPERUSER)

    @property
    def loader_url(self) -> str:
        """The loader's URL: it owns the schema, migrates and loads."""
        return self.url_as(LOADER_ROLE)

    @property
    def service_url(self) -> str:
        """The service's URL: it can only read (and count usage)."""
        return self.url_as(SERVICE_ROLE)


class ServerSettings(BaseSettings):
    """How the HTTP server listens and logs."""

    model_config = SettingsConfigDict(env_prefix="ADDRESS_LOOKUP_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "info"
    access_log: bool = True
    public_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^/?#\s]+(/[^?#\s]*)?$",
        description="The service's address as callers see it (https://lookup.example.gov.uk); "
        "absolute URLs in answers start with it, never with the Host header. Unset: "
        "answers carry paths only.",
    )
    request_timeout_s: float = Field(
        default=10.0, gt=0, description="Time budget of one request; its work stops then (503)."
    )
    header_timeout_s: float = Field(
        default=10.0, gt=0, description="Longest a client may take to send a request's headers."
    )
    body_timeout_s: float = Field(
        default=10.0, gt=0, description="Longest a client may take to send a request's body."
    )
    keep_alive_s: float = Field(
        default=5.0, gt=0, description="How long an idle keep-alive connection stays open."
    )
    max_header_bytes: int = Field(
        default=16_384, ge=1024, description="Largest request line and headers accepted."
    )
    cache_max_age_s: int = Field(
        default=60, ge=0, description="How long browsers and CDNs may reuse a lookup's answer."
    )
    metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Serve /metrics on this port only (an internal one), not beside the API.",
    )
    metrics_host: str = Field(default="127.0.0.1", description="Interface of the metrics port.")


class TenancySettings(BaseSettings):
    """Who may call: keys, CORS, and how often each process reloads keys and writes usage."""

    model_config = SettingsConfigDict(env_prefix="ADDRESS_LOOKUP_", extra="ignore")

    require_keys: bool = Field(
        default=True, description="Refuse requests without a valid key (401)."
    )
    cors_origins: str = Field(
        default="",
        description="With keys not required: origins whose pages may call, comma-separated, "
        "or * for any.",
    )
    key_refresh_s: float = Field(
        default=5.0, gt=0, le=10, description="How often each process reloads the keys."
    )
    usage_flush_s: float = Field(
        default=10.0, gt=0, description="How often each process writes the usage it counted."
    )


class WidgetSettings(BaseSettings):
    """The address widget and its demo pages."""

    model_config = SettingsConfigDict(env_prefix="ADDRESS_LOOKUP_", extra="ignore")

    demo_key: str | None = Field(
        default=None,
        description="The browser key the demo pages give the widget (data-key); unset: none.",
    )
    govuk_frontend_dir: Path = Field(
        default=PROJECT_ROOT / "service" / "widget" / "node_modules" / "govuk-frontend" / "dist",
        description="GOV.UK Frontend's built files (from npm), for the demo pages' look.",
    )


class Settings(BaseSettings):
    """Everything the service needs, one class per concern."""

    model_config = SettingsConfigDict(extra="ignore")

    db: DatabaseSettings = Field(default_factory=DatabaseSettings)
    local_db: LocalDatabaseSettings = Field(default_factory=LocalDatabaseSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    tenancy: TenancySettings = Field(default_factory=TenancySettings)
    widget: WidgetSettings = Field(default_factory=WidgetSettings)

    @property
    def database_url(self) -> str:
        """The service's database: DATABASE_URL when set, else the managed local cluster as
        the read-only service role."""
        return self.db.url or self.local_db.service_url

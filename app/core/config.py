"""Application settings, read once from the environment (prefix ``ARTITEC_``) and ``.env``."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class Settings(BaseSettings):
    """Every knob of the collector. Defaults are the zero-setup quickstart."""

    model_config = SettingsConfigDict(env_prefix="ARTITEC_", env_file=".env", extra="ignore")

    environment: Environment = Field(Environment.development, description="development, test or production")
    database_url: str = Field("sqlite:///./var/artitec.db", description="SQLAlchemy URL")
    broker_url: str = Field("filesystem://", description="Celery broker; redis://… in production")
    broker_folder: str = Field("./var/broker", description="folder of the filesystem broker")
    run_tasks_eagerly: bool = Field(False, description="run Celery tasks in-process (tests only)")
    max_request_body_bytes: int = Field(
        1_048_576, ge=1, description="larger request bodies are refused (413) before they are read"
    )
    metrics_token: SecretStr | None = Field(
        None, description="bearer token /metrics requires (required in production; unset elsewhere: no token)"
    )

    # capacity: every wait is bounded, so a stuck request fails alone (503 with Retry-After), never the process
    db_pool_size: int = Field(10, ge=1, description="database connections each process keeps open")
    db_max_overflow: int = Field(
        15, ge=0, description="extra connections a process may open at a peak (pool_size + this is its cap)"
    )
    db_pool_timeout_seconds: float = Field(
        10.0, gt=0, description="the longest a request or task waits for a free database connection"
    )
    db_lock_timeout_seconds: float = Field(5.0, gt=0, description="the longest any statement waits for a lock")
    api_statement_timeout_seconds: float = Field(
        30.0, ge=0, description="the longest one statement of an API request may run (0: no limit)"
    )
    # Python runs one request thread at a time per process: past a few requests in progress, more only add GIL
    # hand-offs and overflow connections opened and closed (bench/README.md, Load: with 4, throughput held from
    # 10 to 200 connections where 8 lost a fifth of it, and 8 served 200 connections faster than 20).
    api_max_concurrent_requests: int = Field(
        4,
        ge=1,
        description="requests one API process works on at once; more wait their turn without holding a thread "
        "or a connection (at most pool_size + max_overflow - 2, at most api_threads)",
    )
    api_queue_timeout_seconds: float = Field(
        15.0, gt=0, description="the longest a request waits for its turn before a 503 with Retry-After"
    )
    api_threads: int = Field(40, ge=1, description="threads one API process runs its synchronous work on")

    # live job updates (Server-Sent Events)
    event_streams_max: int = Field(
        100, ge=1, description="event streams one API process keeps open at once; more get 503 with Retry-After"
    )
    event_heartbeat_seconds: float = Field(
        15.0, gt=0, description="an idle event stream sends a comment this often, so proxies keep it open"
    )
    event_poll_seconds: float = Field(
        2.0, gt=0, description="how often an event stream reads the timeline when no Redis tells it of new events"
    )
    event_retry_ms: int = Field(3000, ge=0, description="how long a disconnected EventSource waits to reconnect")
    event_stream_readers: int = Field(
        2, ge=1, description="timeline reads all event streams of a process make at once (each takes a connection)"
    )

    # auth
    jwt_secret: SecretStr = Field(SecretStr("change-me-in-production-please-32bytes"))
    jwt_audience: str = "artitec-admin"
    jwt_issuer: str = "artitec-collector"
    jwt_default_days: int = 7

    # Anthropic
    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-haiku-4-5"
    anthropic_max_tokens: int = 4096
    anthropic_timeout_seconds: float = 60.0
    # USD per million tokens, and per thousand web searches
    price_input_per_mtok: Decimal = Decimal("1.00")
    price_output_per_mtok: Decimal = Decimal("5.00")
    price_cache_write_per_mtok: Decimal = Decimal("1.25")
    price_cache_read_per_mtok: Decimal = Decimal("0.10")
    price_web_search_per_1k: Decimal = Decimal("10.00")
    job_max_web_searches: int = 5
    job_max_tokens: int = 60_000
    job_max_cost_usd: Decimal = Decimal("0.25")
    monthly_llm_budget_usd: Decimal = Field(
        Decimal("100.00"),
        description="LLM spend cap per calendar month (USD); once reached, new LLM work is refused and "
        "collection goes on web-only",
    )

    # the web
    user_agent: str = "ArtitecCollector/0.1 (+https://artitec.example/collector)"
    fetch_timeout_seconds: float = 15.0
    fetch_max_bytes: int = 5_000_000
    fetch_allowed_hosts: list[str] = Field(
        default_factory=list,
        description="hosts exempt from the private-address guard (tests and the local demo only)",
    )
    per_host_delay_seconds: float = 1.0
    fetch_max_wait_seconds: float = Field(
        60.0,
        description="the longest a fetch waits for its turn at a host: a longer robots.txt Crawl-delay is cut "
        "to it, and a page whose turn is further off is reported rate_limited instead of waited for",
    )
    fetch_max_backoff_seconds: float = Field(
        86_400.0, description="the longest a site's Retry-After may make us rest from it"
    )
    # rendering pages that need JavaScript in headless Chromium
    render_browsers: int = Field(
        2, ge=0, le=16, description="headless Chromium browsers this machine's workers share (0 turns rendering off)"
    )
    chromium_path: str = Field("chromium", description="the Chromium executable (a name on PATH or a full path)")
    render_timeout_seconds: float = Field(
        20.0, gt=0, description="the longest one page may render; a browser still busy then is killed"
    )
    render_settle_seconds: float = Field(
        5.0, ge=0, description="after the page loaded, how long to wait at most for its network to fall quiet"
    )
    render_max_requests: int = Field(60, ge=1, description="requests one rendered page may make; the rest are blocked")
    render_max_bytes: int = Field(10_000_000, ge=1, description="bytes one rendered page may download in all")
    render_max_memory_mb: int = Field(
        1024, ge=64, description="memory one browser may use (all its processes); over it, the browser is killed"
    )
    render_pool_dir: str = Field(
        "", description="folder where workers coordinate the shared browsers (empty: one under the system temp)"
    )
    sample_sites_url: str = Field(
        "http://127.0.0.1:8765", description="where the quickstart serves the bundled sample sites"
    )

    # limits
    jobs_per_user_per_hour: int = Field(20, description="collection jobs one admin may start per rolling hour")
    jobs_per_day_system: int = Field(
        200, description="collection jobs per rolling 24 hours, all admins and scheduled refreshes together"
    )
    job_running_timeout_minutes: int = 30
    job_max_retries: int = 3

    # review
    auto_apply_threshold: float = Field(
        0.90, description="auto-apply only changes at or above this confidence (the plan's question: yes, at 0.90)"
    )
    protect_verified_fields: bool = Field(
        True, description="human-verified (locked) fields are never auto-applied; changes to them wait for review"
    )
    match_high_threshold: float = 0.90
    match_low_threshold: float = 0.60

    # schedules
    builder_refresh_days: int = Field(30, description="scheduled refresh of a builder after this many days (monthly)")
    community_refresh_days: int = Field(
        90, description="scheduled refresh of a community after this many days (quarterly)"
    )
    property_refresh_days: int = Field(7, description="scheduled refresh of a home after this many days (weekly)")
    refresh_max_jobs_per_run: int = Field(
        25, description="at most this many refresh jobs per hourly run, so admins keep room in the daily limit"
    )
    refresh_job_cost_estimate_usd: Decimal = Field(
        Decimal("0.03"),
        description="expected LLM cost of one refresh job (the plan's estimate); refreshes beyond what the "
        "monthly budget's remainder covers run web-only",
    )
    refresh_researcher: str = Field("auto", description="researcher of scheduled refreshes: web, claude or auto")
    refresh_auto_apply: bool = Field(
        False, description="scheduled refresh jobs auto-apply high-confidence changes (off: everything is reviewed)"
    )
    refresh_minute: int = Field(15, description="minute past each hour the stale-record refresh runs")
    sweep_interval_seconds: float = Field(60.0, description="how often the job sweeper runs")
    digest_hour_utc: int = Field(13, description="hour (UTC) the daily digest e-mail is sent")

    # notifications
    notify_changes_threshold: int = Field(
        10, description="e-mail admins when one job detects more than this many changes"
    )
    notify_failures_threshold: int = Field(
        3,
        description="e-mail admins when this many jobs of one record fail in a row, or this many fail "
        "within notify_failures_window_minutes",
    )
    notify_failures_window_minutes: int = Field(60, description="window for counting recent failed jobs")
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "collector@artitec.example"
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = Field(10.0, description="SMTP connect and send timeout")
    worker_metrics_port: int | None = Field(
        None, description="port a worker serves its own Prometheus metrics on (unset: none)"
    )

    log_level: str = "INFO"
    log_json: bool = True

    @field_validator("environment", mode="before")
    @classmethod
    def _known_environment(cls, value: Any) -> Any:
        """Only the exact names: a near miss such as 'Production' must not start with development defaults."""
        names = [member.value for member in Environment]
        if value not in names:
            raise ValueError(f"ARTITEC_ENVIRONMENT must be exactly one of {', '.join(names)}, not {value!r}")
        return value

    @model_validator(mode="after")
    def _capacity_fits(self) -> Settings:
        """Each request in progress gets a thread and a connection, plus one spare for a job's counted insert."""
        if self.api_max_concurrent_requests > self.api_threads:
            raise ValueError("ARTITEC_API_MAX_CONCURRENT_REQUESTS must not exceed ARTITEC_API_THREADS")
        if self.api_max_concurrent_requests + 2 + self.event_stream_readers > self.db_pool_size + self.db_max_overflow:
            raise ValueError(
                "ARTITEC_API_MAX_CONCURRENT_REQUESTS + 2 + ARTITEC_EVENT_STREAM_READERS must not exceed "
                "ARTITEC_DB_POOL_SIZE + ARTITEC_DB_MAX_OVERFLOW (a request in progress must never wait for a "
                "connection held by one waiting its turn)"
            )
        return self

    @model_validator(mode="after")
    def _safe_for_production(self) -> Settings:
        """Production refuses to start with a guessable token key or a fetch guard opened for the demo."""
        if self.environment != "production":
            return self
        secret = self.jwt_secret.get_secret_value()
        if len(secret) < 32 or secret.startswith("change-me"):
            raise ValueError("ARTITEC_JWT_SECRET must be set to a random secret of 32+ characters in production")
        if self.fetch_allowed_hosts:
            raise ValueError(
                "ARTITEC_FETCH_ALLOWED_HOSTS opens the fetch guard to private addresses; not in production"
            )
        if self.metrics_token is None or len(self.metrics_token.get_secret_value()) < 16:
            raise ValueError("ARTITEC_METRICS_TOKEN must be set (16+ characters) in production: /metrics needs it")
        return self

    @property
    def has_llm_key(self) -> bool:
        """An Anthropic API key is configured: the claude researcher can run."""
        return self.anthropic_api_key is not None and bool(self.anthropic_api_key.get_secret_value())

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()

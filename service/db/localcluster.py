"""The managed local PostGIS: a project-owned PostgreSQL cluster under the data dir, run with the
system's PostgreSQL binaries, listening only on a Unix socket in its own folder (so several
checkouts on one machine never fight over a port).

PostgreSQL refuses to run as root, so when we are root the cluster belongs to the ``postgres``
system user and every server command runs as that user; its files then live where that user
can reach them (``clusterplace``). The loader's and the service's roles of least privilege
(``roles``) are made at every start.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from service.settings import LocalDatabaseSettings
from service.sqlfiles import sql

SUPERUSER = "postgres"
EXTENSIONS = ("postgis", "pg_trgm", "intarray", "fuzzystrmatch")
_SOCKET_PATH_LIMIT = 107  # sun_path is 108 bytes on Linux, including the NUL
_SERVER_CONFIG = """
# Written by address-lookup: a private cluster reachable only through its own socket.
listen_addresses = ''
unix_socket_directories = '{socket_dir}'
port = 5432
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 1GB
max_wal_size = 4GB
checkpoint_timeout = 15min
synchronous_commit = off
max_connections = 200
random_page_cost = 1.1
effective_cache_size = 4GB
"""


class LocalDbError(Exception):
    """The local database cannot be set up; the message says what to do."""


@dataclass(frozen=True)
class LocalCluster:
    """Where the managed cluster lives and how to reach it."""

    settings: LocalDatabaseSettings
    bin_dir: Path

    @property
    def root(self) -> Path:
        """The data dir, or for root one the postgres user can reach (clusterplace)."""
        return self.settings.root

    @property
    def data_dir(self) -> Path:
        return self.root / "postgres"

    @property
    def run_dir(self) -> Path:
        """Socket and server log; owned by the server's user."""
        return self.settings.run_dir

    @property
    def log_file(self) -> Path:
        return self.run_dir / "postgres.log"

    @property
    def database(self) -> str:
        return self.settings.database_name

    @property
    def url(self) -> str:
        return self.settings.url


@dataclass(frozen=True)
class ClusterStatus:
    initialised: bool
    running: bool
    pid: int | None


def cluster_from_settings(settings: LocalDatabaseSettings) -> LocalCluster:
    """The cluster the settings describe (nothing is started or checked)."""
    return LocalCluster(settings=settings, bin_dir=settings.pg_bin_dir or find_pg_bin_dir())


def find_pg_bin_dir() -> Path:
    """The newest installed PostgreSQL's binaries (Debian keeps them per major version)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name)
    )
    if candidates:
        return candidates[-1].parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    raise LocalDbError(
        "PostgreSQL server binaries (pg_ctl, initdb) were not found. Install them with "
        "`sudo apt-get install -y postgresql`, set ADDRESS_LOOKUP_PG_BIN_DIR to their folder, "
        "or set DATABASE_URL to use an existing PostGIS database."
    )


def pg_major_version(bin_dir: Path) -> int:
    """The major version of the server binaries, e.g. 15."""
    out = _run_tool(bin_dir / "postgres", "--version")
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    if not match:
        raise LocalDbError(f"Cannot read the PostgreSQL version from {out!r}")
    return int(match[1])


def postgis_control_file(bin_dir: Path) -> Path:
    """Where PostGIS's extension file must be for these binaries to find it."""
    sharedir = _run_tool(bin_dir / "pg_config", "--sharedir")
    return Path(sharedir) / "extension" / "postgis.control"


def _run_tool(tool: Path, *args: str) -> str:
    return subprocess.run(
        [str(tool), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def ensure_postgis_installed(bin_dir: Path) -> None:
    """Install Debian's PostGIS package for this PostgreSQL when root; otherwise say how."""
    if postgis_control_file(bin_dir).exists():
        return
    package = f"postgresql-{pg_major_version(bin_dir)}-postgis-3"
    if os.geteuid() != 0:
        raise LocalDbError(
            f"PostGIS is not installed for this PostgreSQL. Run: sudo apt-get install -y {package}"
        )
    print(f"PostGIS is missing: installing Debian's {package}", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        if subprocess.run(install, env=env, check=False).returncode != 0:
            raise LocalDbError(f"Installing {package} failed; run `apt-get install -y {package}`.")


def _server_user() -> str | None:
    """The user that must own and run the cluster: ``postgres`` when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError as missing:
        raise LocalDbError(
            "Running as root, but there is no 'postgres' system user to run PostgreSQL as "
            "(PostgreSQL refuses to run as root). Install the postgresql package or run as a "
            "normal user."
        ) from missing
    return SUPERUSER


def _run(
    cluster: LocalCluster, tool: str, *args: str, check: bool = True, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run one of the server's tools as the cluster's owner."""
    user = _server_user()
    result = subprocess.run(
        [str(cluster.bin_dir / tool), *args],
        input=stdin,
        capture_output=True,
        text=True,
        user=user,
        cwd="/",
        env={**os.environ, "PGHOST": str(cluster.run_dir), "PGUSER": SUPERUSER},
        check=False,
    )
    if check and result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise LocalDbError(f"{tool} failed: {detail[-1] if detail else 'no output'}")
    return result


def _prepare_dirs(cluster: LocalCluster) -> None:
    """Create the folders, owned by the server's user, and check the socket path fits."""
    socket_path = cluster.run_dir / ".s.PGSQL.5432"
    if len(str(socket_path)) > _SOCKET_PATH_LIMIT:
        raise LocalDbError(
            f"The socket path {socket_path} is too long for Unix sockets; set "
            "ADDRESS_LOOKUP_DATA_DIR to a shorter folder such as /var/lib/address-lookup."
        )
    cluster.root.mkdir(parents=True, exist_ok=True)
    for folder in (cluster.data_dir, cluster.run_dir):
        folder.mkdir(mode=0o700, exist_ok=True)
        user = _server_user()
        if user:
            shutil.chown(folder, user, user)
    if _server_user() and _run_probe(cluster) != 0:
        raise LocalDbError(
            f"The postgres user cannot reach {cluster.root} (a parent folder is private). Set "
            "ADDRESS_LOOKUP_DATA_DIR to a folder it can reach, such as /var/lib/address-lookup."
        )


def _run_probe(cluster: LocalCluster) -> int:
    return subprocess.run(
        ["test", "-w", str(cluster.run_dir)], user=_server_user(), cwd="/", check=False
    ).returncode


def _initialise(cluster: LocalCluster) -> None:
    _run(
        cluster,
        "initdb",
        "-D",
        str(cluster.data_dir),
        "-U",
        SUPERUSER,
        "--auth=trust",
        "--encoding=UTF8",
        "--no-locale",
    )
    config = cluster.data_dir / "postgresql.conf"
    with config.open("a", encoding="utf-8") as handle:
        handle.write(_SERVER_CONFIG.format(socket_dir=cluster.run_dir))


def _read_pid(cluster: LocalCluster) -> int | None:
    pid_file = cluster.data_dir / "postmaster.pid"
    try:
        return int(pid_file.read_text().split("\n", 1)[0])
    except (FileNotFoundError, ValueError, PermissionError):
        return None


def _is_postgres_process(pid: int) -> bool:
    try:
        return "postgres" in Path(f"/proc/{pid}/comm").read_text()
    except OSError:
        return False


def _clear_stale_pid_file(cluster: LocalCluster) -> None:
    """After a crash the pid file may name a dead process, or one reused by another program;
    PostgreSQL only copes with the first, so remove the file in both cases."""
    pid = _read_pid(cluster)
    if pid is not None and not _is_postgres_process(pid):
        (cluster.data_dir / "postmaster.pid").unlink(missing_ok=True)


def status(cluster: LocalCluster) -> ClusterStatus:
    """Whether the cluster exists and runs (never starts anything)."""
    initialised = (cluster.data_dir / "PG_VERSION").exists()
    pid = _read_pid(cluster) if initialised else None
    running = pid is not None and _is_postgres_process(pid)
    return ClusterStatus(initialised=initialised, running=running, pid=pid if running else None)


def start(cluster: LocalCluster) -> bool:
    """Make sure the cluster runs, with its database and extensions. Returns False when it was
    already running. Safe to run twice, and after a crash."""
    ensure_postgis_installed(cluster.bin_dir)
    _prepare_dirs(cluster)
    if not status(cluster).initialised:
        _initialise(cluster)
    was_running = status(cluster).running
    if not was_running:
        _clear_stale_pid_file(cluster)
        _run(
            cluster,
            "pg_ctl",
            "start",
            "-D",
            str(cluster.data_dir),
            "-l",
            str(cluster.log_file),
            "-w",
            "-t",
            "60",
        )
    _ensure_database(cluster)
    return not was_running


def stop(cluster: LocalCluster) -> bool:
    """Stop the cluster; returns False when it was not running."""
    if not status(cluster).running:
        return False
    _run(cluster, "pg_ctl", "stop", "-D", str(cluster.data_dir), "-m", "fast", "-w", "-t", "60")
    return True


def _psql(cluster: LocalCluster, database: str, sql: str) -> str:
    return _run(
        cluster, "psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql
    ).stdout.strip()


def _ensure_database(cluster: LocalCluster) -> None:
    created = _run(
        cluster, "createdb", "-E", "UTF8", "-T", "template0", cluster.database, check=False
    )
    if created.returncode != 0 and "already exists" not in created.stderr:
        raise LocalDbError(f"createdb failed: {created.stderr.strip()}")
    for extension in EXTENSIONS:
        _psql(cluster, cluster.database, f"CREATE EXTENSION IF NOT EXISTS {extension}")
    _ensure_roles(cluster)


def _ensure_roles(cluster: LocalCluster) -> None:
    """The loader owns the database and everything in it; the service may log in (its
    privileges come with migration 0010). Sent on stdin: the postgres user may not be able
    to read the checkout."""
    args = ("-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", f"database={cluster.database}")
    _run(cluster, "psql", *args, "-d", cluster.database, stdin=sql("service.db", "local_roles"))


def ensure_running(settings: LocalDatabaseSettings) -> str:
    """Start the managed cluster if needed and return its database URL."""
    cluster = cluster_from_settings(settings)
    start(cluster)
    return cluster.url

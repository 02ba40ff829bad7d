"""Where the managed cluster's files can live. PostgreSQL refuses to run as root, so for root
the cluster belongs to the ``postgres`` user, who must be able to reach its folder: a checkout
under a private folder (root's home, a ``mktemp -d``) is out of its reach. Then the cluster
lives under /var/lib/address-lookup instead, in a folder named after the checkout's, so that
every checkout still has a cluster of its own and finds it again. A normal user runs the
cluster as themself, in the checkout."""

from __future__ import annotations

import hashlib
import os
import pwd
import stat
from pathlib import Path

SERVER_USER = "postgres"
SHARED_ROOT = Path("/var/lib/address-lookup")


def server_user() -> pwd.struct_passwd | None:
    """The user the cluster runs as when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        return None


def can_reach(path: Path, user: pwd.struct_passwd) -> bool:
    """Whether the user may pass through every existing folder above ``path`` (from the
    permission bits; a folder they own or share a group with counts by its own bits)."""
    groups = {user.pw_gid, *(g for g in os.getgrouplist(user.pw_name, user.pw_gid))}
    for folder in [path, *path.parents]:
        try:
            info = folder.stat()
        except FileNotFoundError:
            continue
        if info.st_uid == user.pw_uid:
            allowed = info.st_mode & stat.S_IXUSR
        elif info.st_gid in groups:
            allowed = info.st_mode & stat.S_IXGRP
        else:
            allowed = info.st_mode & stat.S_IXOTH
        if not allowed:
            return False
    return True


def cluster_root(requested: Path) -> Path:
    """The folder the cluster really lives in: the requested one, unless we are root and the
    postgres user cannot reach it."""
    requested = requested.resolve()
    user = server_user()
    if user is None or can_reach(requested, user):
        return requested
    digest = hashlib.sha256(str(requested).encode()).hexdigest()[:12]
    return SHARED_ROOT / f"{requested.parent.name or 'root'}-{digest}"

"""Makes sure the Debian programs some tests drive are present (installs them when root):
Chromium for the browser tests, Caddy and docker-compose to read the deployment's files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# Where each program is, by the Debian package that installs it.
TOOLS = {
    "chromium": "/usr/bin/chromium",
    "caddy": "/usr/bin/caddy",
    "docker-compose": "/usr/bin/docker-compose",
}


def ensure() -> bool:
    missing = [package for package, path in TOOLS.items() if not os.path.exists(path)]
    if not missing:
        return True
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print(f"{', '.join(missing)} missing and cannot be installed here; their tests will fail")
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return all(os.path.exists(path) for path in TOOLS.values())


if __name__ == "__main__":
    sys.exit(0 if ensure() else 1)

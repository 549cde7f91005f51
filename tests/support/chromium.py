"""Makes sure Debian's Chromium is present for the browser tests (installs it when root)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"


def ensure() -> bool:
    if os.path.exists(CHROMIUM):
        return True
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print("chromium is missing and cannot be installed here; browser tests will fail")
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return os.path.exists(CHROMIUM)


if __name__ == "__main__":
    sys.exit(0 if ensure() else 1)

#!/usr/bin/env bash
# apt-install.sh PACKAGE...  Install Debian packages with apt when we are root on Debian/Ubuntu
# (exit 0); otherwise print the apt command for a user with sudo, if apt exists, and exit 1.
set -euo pipefail
if command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  echo "installed: $*"
  exit 0
fi
if command -v apt-get >/dev/null; then
  echo "install them with:  sudo apt-get install --no-install-recommends $*" >&2
fi
exit 1

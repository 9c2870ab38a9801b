#!/usr/bin/env bash
# The browser of the slider test (tests/report/test_slider_browser.py): Debian's Chromium at
# /usr/bin/chromium, driven by Playwright, which never downloads a browser of its own.
# Installs it with apt when it is missing on Debian/Ubuntu as root; elsewhere prints the
# command to run and exits 0: the test then skips and says why.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0

echo "missing for the slider test: /usr/bin/chromium"
bash "$(dirname "$0")/apt-install.sh" chromium fonts-dejavu-core fontconfig && exit 0
command -v apt-get >/dev/null || echo "install Chromium as /usr/bin/chromium with your system's package manager" >&2
echo "until then tests/report/test_slider_browser.py is skipped" >&2
exit 0

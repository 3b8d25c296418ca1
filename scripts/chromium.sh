#!/usr/bin/env bash
# Makes sure headless Chromium is on this machine for the explorer's browser
# test (tests/explorer), installing Debian's chromium-headless-shell when it
# is missing, and prints the binary's path. Idempotent: once installed it
# only prints the path. Installing needs root (or sudo) and the Debian
# archive; the browser test skips, naming this script, when the binary is
# absent.
set -euo pipefail

pkg=chromium-headless-shell
# Debian installs the binary here and links it onto PATH.
known=/usr/lib/chromium/chromium-headless-shell

find_bin() {
	if command -v "$pkg" >/dev/null 2>&1; then
		command -v "$pkg"
	elif [ -x "$known" ]; then
		echo "$known"
	else
		return 1
	fi
}

if bin=$(find_bin); then
	echo "$bin"
	exit 0
fi

sudo=""
if [ "$(id -u)" != 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "chromium.sh: $pkg is not installed and installing it needs root (no sudo here)" >&2
		exit 1
	fi
	sudo=sudo
fi
echo "chromium.sh: installing Debian package $pkg" >&2
$sudo apt-get update >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "$pkg" >&2
if ! bin=$(find_bin); then
	echo "chromium.sh: $pkg installed but no binary at $known or on PATH" >&2
	exit 1
fi
echo "$bin"

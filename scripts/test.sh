#!/usr/bin/env bash
# The one test command: Debian packages, a venv at .venv, then lint, types and tests.
# Extra arguments go to pytest: bash scripts/test.sh tests/test_servers.py -x
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the suite needs. Add to this list when the suite needs more (a browser for
# the web pages, say); each is installed only when missing.
DEBIAN_PACKAGES=(dovecot-imapd fonts-wqy-microhei poppler-utils)
# The web pages are tested in Debian's Chromium, driven by Playwright (pip) through
# executable_path; `playwright install` would download a browser of its own, so it never runs.
DEBIAN_PACKAGES+=(chromium)

# Debian's own Python needs python3-venv for `python3 -m venv`.
python3 -c 'import ensurepip' 2>/dev/null || DEBIAN_PACKAGES+=(python3-venv)

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
        missing+=("$package")
done
if ((${#missing[@]})); then
    echo "==> installing ${missing[*]}"
    sudo=""
    [[ $EUID -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The venv is reinstalled only when pyproject.toml changed since the last install.
[[ -x .venv/bin/python ]] || python3 -m venv .venv
if ! cmp -s pyproject.toml .venv/installed-pyproject.toml; then
    echo "==> pip install -e '.[test]'"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[test]'
    cp pyproject.toml .venv/installed-pyproject.toml
fi
export PATH="$PWD/.venv/bin:$PATH"

failed=()
step() {
    echo "==> $*"
    "$@" || failed+=("$*")
}
step ruff check .
step ruff format --check .
step mypy
step python -m pytest -q "$@"

if ((${#failed[@]})); then
    printf 'FAILED: %s\n' "${failed[@]}"
    exit 1
fi
echo "==> all passed"

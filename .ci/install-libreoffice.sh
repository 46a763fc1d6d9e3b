#!/usr/bin/env bash
# Install LibreOffice Writer without a GUI for the Word report test (tests/test_report_libreoffice.py), when it is
# missing. Idempotent: does nothing when soffice is already there. About 50 Debian packages; on the 2-core test
# machine the installation took 17 s with the package lists fresh.
set -euo pipefail

if command -v soffice >/dev/null 2>&1; then
  echo "libreoffice present: $(soffice --version 2>/dev/null | head -1 || echo unknown version)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get not available; cannot install libreoffice" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else echo "need root to install libreoffice" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null
echo "libreoffice installed: $(soffice --version 2>/dev/null | head -1 || echo unknown version)"

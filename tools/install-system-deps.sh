#!/usr/bin/env bash
# Installs the Debian packages the tests and previews need, only if they are missing.
set -euo pipefail
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-impress libreoffice-writer)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v fc-match >/dev/null 2>&1 || need+=(fontconfig)
[ -x /usr/bin/chromium ] || need+=(chromium)  # the web page's browser tests (Playwright drives this one)
[ ${#need[@]} -eq 0 ] && exit 0
echo "安装系统软件包 / installing Debian packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"

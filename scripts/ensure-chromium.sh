#!/usr/bin/env bash
# Browser tests drive Debian's chromium (no browser downloads here). Install it if missing.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "安装 Chromium（apt-get install chromium）……"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "缺少 Chromium：请以 root 运行 apt-get install chromium，或设置 CHROMIUM_PATH 指向已安装的 Chromium。" >&2
exit 1

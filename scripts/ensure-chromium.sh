#!/usr/bin/env bash
# Browser tests drive Debian's chromium (no browser downloads here) with a Chinese font, as a
# reader's phone has one: without it every character is the same box, and screenshots, text
# measurements and axe's contrast check see no Chinese text. The publishing tests (tests/site/
# publish.test.ts, nginx.test.ts) serve releases with a real nginx and copy them with rsync, and
# sign with ssh-keygen (openssh-client). Install what is missing.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
if ! command -v fc-list >/dev/null || [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then missing+=(fonts-wqy-microhei); fi
command -v "${JAVA:-java}" >/dev/null || missing+=(default-jre-headless)
[ -x "${NGINX_PATH:-/usr/sbin/nginx}" ] || command -v nginx >/dev/null || missing+=(nginx)
command -v rsync >/dev/null || missing+=(rsync)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "安装 ${missing[*]}（apt-get install）……"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "缺少 ${missing[*]}：请以 root 运行 apt-get install ${missing[*]}，或设置 CHROMIUM_PATH 指向已安装的 Chromium、NGINX_PATH 指向已安装的 nginx。" >&2
exit 1

#!/usr/bin/env bash
# Install what the browser tests need from Debian when it is missing:
# Chromium, and a CJK font so pages and screenshots show Chinese, not boxes.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-zenhei)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装浏览器测试所需的 Debian 软件包：${missing[*]} …"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "缺少 ${missing[*]}，且无法自动安装（需要 root 与 apt-get）。浏览器测试将在非 CI 环境下跳过。" >&2

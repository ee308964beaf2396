#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests when it is missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装浏览器测试所需的 Chromium（Debian 软件包 chromium）…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "未找到 chromium，且无法自动安装（需要 root 与 apt-get）。浏览器测试将在非 CI 环境下跳过。" >&2

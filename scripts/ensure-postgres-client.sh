#!/usr/bin/env bash
# Install the PostgreSQL client tools (pg_dump, pg_restore) that `manage.py backup`
# and `manage.py restore` call on a PostgreSQL installation, when they are missing.
set -euo pipefail
command -v pg_dump >/dev/null 2>&1 && command -v pg_restore >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装 PostgreSQL 客户端（pg_dump、pg_restore）…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    postgresql-client >/dev/null
  exit 0
fi
echo "缺少 pg_dump / pg_restore，且无法自动安装（需要 root 与 apt-get）：请安装 postgresql-client，版本不低于服务器。" >&2
exit 1

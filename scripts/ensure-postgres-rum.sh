#!/usr/bin/env bash
# Install the RUM index extension for the local PostgreSQL server when it is missing, as
# ensure-chromium.sh does for the browser. With RUM, search ranks by relevance from the
# index (`vector <=> query`) instead of reading the tsvector of every match; without it
# search keeps the GIN index, so a missing extension slows ranking but breaks nothing.
# The package must match the SERVER's major version (postgresql-15-rum for a 15.x server).
# Run where the server runs (tests, CI, the production host). Never fails the caller.
set -uo pipefail
PSQL=(psql -X -At -h "${PGHOST:-127.0.0.1}" -U "${PGUSER:-postgres}" -d postgres)
version_num=$("${PSQL[@]}" -c 'show server_version_num' 2>/dev/null || true)
if [ -z "$version_num" ] && command -v pg_config >/dev/null 2>&1; then
  # No server answering: fall back to the locally installed server's version.
  version_num=$(pg_config --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')0000
fi
if [ -z "$version_num" ]; then
  echo "ensure-postgres-rum: 未找到 PostgreSQL 服务器，跳过 RUM 安装。" >&2
  exit 0
fi
major=$((version_num / 10000))
available=$("${PSQL[@]}" -c "select 1 from pg_available_extensions where name = 'rum'" 2>/dev/null || true)
[ "$available" = "1" ] && exit 0
package="postgresql-${major}-rum"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装 ${package}（PostgreSQL ${major} 的 RUM 索引扩展）…"
  if ! dpkg -s "$package" >/dev/null 2>&1; then
    apt-get update -qq || true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" \
    >/dev/null || echo "ensure-postgres-rum: 安装 ${package} 失败，检索继续使用 GIN 索引。" >&2
  exit 0
fi
echo "ensure-postgres-rum: 缺少 RUM 扩展（${package}），且无法自动安装（需要 root 与 apt-get）；检索继续使用 GIN 索引。" >&2
exit 0

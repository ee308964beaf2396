#!/usr/bin/env bash
# Install what the real-document tests need from Debian when it is missing:
# LibreOffice Writer (headless DOCX → PDF), poppler (pdftotext, pdftoppm,
# pdfinfo) and a CJK font so the PDF shows Chinese, not boxes (tofu).
# WenQuanYi Zen Hei is enough; fonts-noto-cjk is several hundred MB, so not here.
set -euo pipefail
missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
for tool in pdftotext pdftoppm pdfinfo; do
  command -v "$tool" >/dev/null 2>&1 || { missing+=(poppler-utils); break; }
done
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-zenhei)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装公文测试所需的 Debian 软件包：${missing[*]} …"
  apt-get update -qq
  # Without recommends: no Java, no GUI, no extra font packs.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
  exit 0
fi
echo "缺少 ${missing[*]}，且无法自动安装（需要 root 与 apt-get）。PDF 测试将在非 CI 环境下跳过。" >&2

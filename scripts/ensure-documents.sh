#!/usr/bin/env bash
# Install what the real documents need from Debian when it is missing:
# LibreOffice Writer (headless DOCX → PDF), poppler (pdftotext, pdftoppm,
# pdfinfo, pdffonts) and free stand-ins for the fonts GB/T 9704 names, with
# the fontconfig aliases that map the official names to them
# (deploy/fontconfig/65-minyi-gbt9704.conf; reasons in docs/documents.md):
#   宋体 / 黑体 / 小标宋  fonts-noto-cjk (Noto Serif CJK SC, Noto Sans CJK SC, Serif Bold)
#   楷体                  fonts-arphic-gkai00mp (AR PL KaitiM GB, GB2312 Kai)
#   仿宋                  FandolFang, shipped only inside texlive-lang-chinese: the .deb is
#                         fetched with apt-get download and the two Fandol faces copied out
#                         (the package itself would pull 273 MB of TeX Live).
# Idempotent: run as often as you like; it changes nothing when all is in place.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
conf_src="$here/deploy/fontconfig/65-minyi-gbt9704.conf"
conf_dst=/etc/fonts/conf.d/65-minyi-gbt9704.conf
fandol_dir=/usr/local/share/fonts/minyi-fandol

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
for tool in pdftotext pdftoppm pdfinfo pdffonts; do
  command -v "$tool" >/dev/null 2>&1 || { missing+=(poppler-utils); break; }
done
fc-list "Noto Serif CJK SC" 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
fc-list "AR PL KaitiM GB" 2>/dev/null | grep -q . || missing+=(fonts-arphic-gkai00mp)
need_fandol=no
fc-list FandolFang 2>/dev/null | grep -q . || need_fandol=yes
need_conf=no
cmp -s "$conf_src" "$conf_dst" 2>/dev/null || need_conf=yes

wanted=("${missing[@]}")
[ $need_fandol = yes ] && wanted+=(FandolFang)
[ $need_conf = yes ] && wanted+=(字体别名)
[ ${#wanted[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "缺少 ${wanted[*]}，且无法自动安装（需要 root 与 apt-get）。PDF 测试将在非 CI 环境下跳过；" \
    "转换 PDF 时 LibreOffice 仍会读取 deploy/fontconfig 中的别名。" >&2
  exit 0
fi
if [ ${#missing[@]} -gt 0 ] || [ $need_fandol = yes ]; then
  echo "安装公文所需的 Debian 软件包与字体：${wanted[*]}…"
  apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  # Without recommends: no Java, no GUI, no extra font packs.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
if [ $need_fandol = yes ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # apt's sandbox user must be able to write the download directory.
  chmod 755 "$tmp"
  (cd "$tmp" && apt-get download -qq texlive-lang-chinese >/dev/null 2>&1)
  dpkg-deb -x "$tmp"/texlive-lang-chinese_*.deb "$tmp/x"
  mkdir -p "$fandol_dir"
  cp "$tmp"/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol{Fang,Kai}-Regular.otf \
    "$tmp"/x/usr/share/doc/texlive-doc/fonts/fandol/{README,COPYING.gz} "$fandol_dir"/
fi
install -m 644 "$conf_src" "$conf_dst"
# The scan rule in the aliases file only takes effect in a rebuilt cache.
fc-cache -f >/dev/null

#!/usr/bin/env bash
# Install what the rendering checks need, if absent (Debian packages): headless Chromium for the HTML
# report (400 px, 1280 px, print to PDF), LibreOffice Writer for the DOCX -> PDF check and Calc for the
# XLSX -> PDF check, poppler-utils for reading the PDFs. apt-get as root, or through sudo -n; without either, the checks are skipped.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
# Calc prints the workbook (scripts/xlsx_to_pdf.py); soffice alone may be Writer only.
dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || dpkg -s libreoffice-calc >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# Liberation Serif has the metrics of Times New Roman, the font of the Word report (Decree 30/2020):
# without it LibreOffice lays the page out in DejaVu Serif, wider, and the national heading wraps.
fc-match "Times New Roman" 2>/dev/null | grep -q Liberation || need+=(fonts-liberation2)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "install_render_tools: cannot install ${need[*]} (not root, no sudo): those checks will be skipped" >&2; exit 0; fi
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2

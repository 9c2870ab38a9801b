#!/usr/bin/env bash
# The tools behind `jupyter nbconvert --to pdf` (XeLaTeX, pandoc), the DejaVu fonts of
# our template, and pdftotext for the tests. Installs them with apt when they are
# missing on Debian/Ubuntu as root; elsewhere prints the command to run.
set -euo pipefail
packages="texlive-xetex texlive-fonts-recommended texlive-plain-generic pandoc poppler-utils fonts-dejavu fontconfig"
missing=()
for tool in xelatex pandoc pdftotext; do command -v "$tool" >/dev/null || missing+=("$tool"); done
fonts=$(fc-list 2>/dev/null || true)  # not `fc-list | grep -q`: with pipefail, grep's early exit fails the pipe
[[ $fonts == *DejaVuSans* && $fonts == *DejaVuSerif* ]] || missing+=("DejaVu fonts")
[ ${#missing[@]} -eq 0 ] && exit 0

echo "missing for the PDF report: ${missing[*]}"
bash "$(dirname "$0")/apt-install.sh" $packages && exit 0
if command -v apt-get >/dev/null; then
  :  # apt-install.sh printed the command
elif command -v brew >/dev/null; then
  echo "install them with:  brew install --cask mactex-no-gui && brew install pandoc poppler && brew install --cask font-dejavu" >&2
elif command -v dnf >/dev/null; then
  echo "install them with:  sudo dnf install texlive-xetex texlive-collection-fontsrecommended pandoc poppler-utils dejavu-sans-fonts dejavu-serif-fonts dejavu-sans-mono-fonts" >&2
else
  echo "install XeLaTeX (TeX Live), pandoc, poppler (pdftotext) and the DejaVu fonts with your system's package manager" >&2
fi
exit 1

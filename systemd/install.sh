#!/usr/bin/env bash
# Install tui-pos on Raspberry Pi OS Lite (64-bit, bookworm) as the till on tty1.
# Run as root from a checkout: sudo systemd/install.sh. Safe to run again (an upgrade):
# it never overwrites the settings, the token or an edited udev rule.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
UNITS="$REPO/systemd"
PREFIX=/opt/tui-pos
ETC=/etc/tui-pos
USER_NAME=tui-pos
SCANNER_GROUP=tui-pos-scanner
PRINTER_GROUP=tui-pos-printer
RULE=/etc/udev/rules.d/99-tui-pos-scanner.rules
PRINTER_RULE=/etc/udev/rules.d/99-tui-pos-printer.rules
FONT_FILE=/usr/local/share/consolefonts/tui-pos-Lat15-Fixed16.psf

say() { printf '\n== %s\n' "$*"; }

if [[ $EUID -ne 0 ]]; then
    echo "install.sh: run as root (sudo $0)" >&2
    exit 1
fi
umask 022

say "Packages: Python venv, a compiler for evdev, the console font, conspy, libusb (printer)"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    python3-venv python3-dev gcc libc6-dev linux-libc-dev console-setup kbd conspy \
    libusb-1.0-0

say "User $USER_NAME and groups $SCANNER_GROUP, $PRINTER_GROUP"
getent group "$SCANNER_GROUP" >/dev/null || groupadd --system "$SCANNER_GROUP"
getent group "$PRINTER_GROUP" >/dev/null || groupadd --system "$PRINTER_GROUP"
getent passwd "$USER_NAME" >/dev/null \
    || useradd --system --user-group --home-dir /var/lib/tui-pos --no-create-home \
        --shell /usr/sbin/nologin "$USER_NAME"

say "The app in $PREFIX/venv (a plain, non-editable install of this checkout)"
[[ -x $PREFIX/venv/bin/python ]] || python3 -m venv "$PREFIX/venv"
"$PREFIX/venv/bin/pip" install --quiet --upgrade pip
"$PREFIX/venv/bin/pip" install --quiet --upgrade "$REPO"  # reinstalls this checkout
install -m 0644 "$REPO/README.md" "$PREFIX/README.md"

say "Settings in $ETC"
install -d -m 0750 -o root -g "$USER_NAME" "$ETC"
if [[ ! -e $ETC/config.toml ]]; then
    install -m 0640 -o root -g "$USER_NAME" "$UNITS/config.toml.example" "$ETC/config.toml"
fi
if [[ ! -e $ETC/tui-pos.env ]]; then
    install -m 0600 -o root -g root "$UNITS/tui-pos.env.example" "$ETC/tui-pos.env"
fi
[[ -e $ETC/api_token ]] || install -m 0600 -o root -g root /dev/null "$ETC/api_token"
chown root:root "$ETC/api_token"
chmod 0600 "$ETC/api_token"

say "Scanner and printer udev rules"
if [[ ! -e $RULE ]]; then
    install -m 0644 "$UNITS/99-tui-pos-scanner.rules" "$RULE"
fi
if [[ ! -e $PRINTER_RULE ]]; then
    install -m 0644 "$UNITS/99-tui-pos-printer.rules" "$PRINTER_RULE"
fi
udevadm control --reload
udevadm trigger --subsystem-match=input --action=change
udevadm trigger --subsystem-match=usbmisc --subsystem-match=tty --subsystem-match=usb \
    --action=change

say "The service on tty1 instead of a login prompt"
install -m 0644 "$UNITS/tui-pos.service" /etc/systemd/system/tui-pos.service
install -m 0755 "$UNITS/tui-pos-doctor" /usr/local/sbin/tui-pos-doctor
systemctl daemon-reload
systemctl mask getty@tty1.service autovt@tty1.service
systemctl enable tui-pos.service

say "No console blanking (from the next boot) and our console font (now)"
for cmdline in /boot/firmware/cmdline.txt /boot/cmdline.txt; do
    if [[ -f $cmdline ]]; then
        grep -q 'consoleblank=0' "$cmdline" || sed -i '1 s/$/ consoleblank=0/' "$cmdline"
        break
    fi
done
setting() {  # setting KEY VALUE: set KEY="VALUE" in /etc/default/console-setup
    local file=/etc/default/console-setup
    if grep -q "^$1=" "$file"; then
        sed -i "s|^$1=.*|$1=\"$2\"|" "$file"
    else
        printf '%s="%s"\n' "$1" "$2" >>"$file"
    fi
}
touch /etc/default/console-setup
setting CHARMAP UTF-8
setting CODESET Lat15
setting FONTFACE Fixed
setting FONTSIZE 8x16
# Lat15-Fixed16 and the half blocks (QR codes): FONT= wins over the three above, which
# stay for a setupcon that cannot find it. The unit loads it on tty1 at each start too.
install -D -m 0644 "$UNITS/font/tui-pos-Lat15-Fixed16.psf" "$FONT_FILE"
setting FONT "$FONT_FILE"
setupcon --force --save

if [[ -s $ETC/api_token ]]; then
    systemctl restart tui-pos.service
    say "Done: tui-pos runs on tty1. Check it with: sudo tui-pos-doctor"
else
    say "Almost done: the API token is missing"
    cat <<EOF
Put the Afosto API token in $ETC/api_token (one line, nothing else):
    sudo sh -c 'cat > $ETC/api_token'    # paste it, Enter, then Ctrl-D (the file stays 0600)
Set channel_id in $ETC/config.toml, the scanner's ids in $RULE and, for a USB
printer, the printer's ids in $PRINTER_RULE and [printer] in $ETC/config.toml, then:
    sudo udevadm control --reload && sudo udevadm trigger --action=change \\
        --subsystem-match=input --subsystem-match=usbmisc --subsystem-match=tty \\
        --subsystem-match=usb
    sudo systemctl start tui-pos && sudo tui-pos-doctor
Reboot once for consoleblank=0 to take effect.
EOF
fi

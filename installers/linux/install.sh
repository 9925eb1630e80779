#!/bin/sh
# Register Vaglio, unpacked from its tarball, with the desktop: a `vaglio`
# command, the menu entry and the icon. The bundle itself stays where it was
# unpacked (for everyone: unpack it in /opt first, then run this with --system).
#
#   ./install.sh               for this user (~/.local)
#   sudo ./install.sh --system for everyone (/usr/local)
#   ./install.sh --uninstall   removes what the first form added (--system too)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
mode=user
action=install
for arg in "$@"; do
    case "$arg" in
        --system) mode=system ;;
        --uninstall) action=uninstall ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

if [ "$mode" = system ]; then
    bin=/usr/local/bin
    share=/usr/local/share
else
    bin="$HOME/.local/bin"
    share="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
apps="$share/applications"
icons="$share/icons/hicolor"

if [ "$action" = uninstall ]; then
    rm -f "$bin/vaglio" "$apps/vaglio.desktop" \
        "$icons/256x256/apps/vaglio.png" "$icons/scalable/apps/vaglio.svg"
    echo "Vaglio removed from $share (the folder $here is left as it is)."
    exit 0
fi

[ -x "$here/vaglio" ] || { echo "install.sh: $here/vaglio not found" >&2; exit 1; }
mkdir -p "$bin" "$apps" "$icons/256x256/apps" "$icons/scalable/apps"
ln -sf "$here/vaglio" "$bin/vaglio"
cp "$here/vaglio.png" "$icons/256x256/apps/vaglio.png"
cp "$here/_internal/resources/icons/vaglio.svg" "$icons/scalable/apps/vaglio.svg"
# The menu entry runs this copy by its full path, whatever PATH says.
sed -e "s|^Exec=vaglio gui\$|Exec=\"$here/vaglio\" gui|" \
    -e "s|^TryExec=vaglio\$|TryExec=$here/vaglio|" \
    "$here/vaglio.desktop" > "$apps/vaglio.desktop"
chmod 644 "$apps/vaglio.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" || true
echo "Vaglio installed: the command $bin/vaglio and the menu entry in $apps."
case ":$PATH:" in
    *":$bin:"*) ;;
    *) echo "note: $bin is not on your PATH; the menu entry works all the same." ;;
esac

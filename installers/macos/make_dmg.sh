#!/bin/sh
# Vaglio.app (dist/Vaglio.app, built by installers/vaglio.spec on a Mac) into
# dist/Vaglio-<version>-macos-<arch>.dmg, signed and notarised when asked:
#
#   installers/macos/make_dmg.sh                     unsigned (for testing)
#   VAGLIO_CODESIGN_IDENTITY="Developer ID Application: NAME (TEAMID)" \
#   VAGLIO_NOTARY_PROFILE=vaglio-notary installers/macos/make_dmg.sh
#
# The identity must be the one the spec signed the app with (the same
# variable, set for the PyInstaller run). VAGLIO_NOTARY_PROFILE names a
# keychain profile made once with `xcrun notarytool store-credentials`.
# The app is notarised and stapled first, so that it opens offline once
# copied out of the disk image (members work on trains); then the dmg.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
app="$root/dist/Vaglio.app"
[ -d "$app" ] || { echo "make_dmg.sh: $app not found: build it first" >&2; exit 1; }
version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$app/Contents/Info.plist")
dmg="$root/dist/Vaglio-$version-macos-$(uname -m).dmg"
identity="${VAGLIO_CODESIGN_IDENTITY:-}"
profile="${VAGLIO_NOTARY_PROFILE:-}"

notarise() {
    xcrun notarytool submit "$1" --keychain-profile "$profile" --wait
}

if [ -n "$identity" ]; then
    codesign --verify --deep --strict --verbose=2 "$app"
    if [ -n "$profile" ]; then
        zip="$root/build/Vaglio-$version.zip"
        ditto -c -k --keepParent "$app" "$zip"
        notarise "$zip"
        xcrun stapler staple "$app"
        rm -f "$zip"
    fi
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
ditto "$app" "$stage/Vaglio.app"
ln -s /Applications "$stage/Applications"
rm -f "$dmg"
hdiutil create -volname "Vaglio $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"

if [ -n "$identity" ]; then
    codesign --sign "$identity" --timestamp "$dmg"
    if [ -n "$profile" ]; then
        notarise "$dmg"
        xcrun stapler staple "$dmg"
        spctl --assess --type open --context context:primary-signature --verbose "$dmg"
    fi
fi
echo "$dmg"

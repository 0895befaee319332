#!/usr/bin/env bash
# Shows that another package can depend on this one and import `Sheets`: makes a throwaway
# package in a temporary folder, builds it and runs it on a fixture, twice: depending on this
# folder by path, then on a git clone of its last commit by URL and version, as a published
# dependency is used. SwiftPM refuses a versioned dependency that uses unsafe flags (a path or
# revision dependency may have them), so the second build fails if Package.swift ever gains one.
#
#     bash scripts/check-sheets-as-dependency.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check() {  # the dependency line
mkdir -p "$work/Sources/uses-sheets"
cat > "$work/Package.swift" <<SWIFT
// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "uses-sheets",
    dependencies: [$1],
    targets: [
        .executableTarget(name: "uses-sheets", dependencies: [.product(name: "Sheets", package: "tonghop")]),
    ]
)
SWIFT
cat > "$work/Sources/uses-sheets/main.swift" <<'SWIFT'
import Sheets

let book = try Spreadsheets.open(path: CommandLine.arguments[1])
print(book.sheets.map(\.name).joined(separator: "|"))
SWIFT
# The dependency's own resolved versions, so that no network is needed.
[ -f "$root/Package.resolved" ] && cp "$root/Package.resolved" "$work/"
rm -rf "$work/.build"
(cd "$work" && swift build --scratch-path "$work/.build" 2>&1 | tail -n 3)
got=$("$work/.build/debug/uses-sheets" "$root/Tests/SheetsTests/Fixtures/quirk_ampersand_names.xlsx" | head -n 1)
if [ "$got" != "5&4|a<b> \"c\" 'd'|Đại &amp; T&#38;" ]; then
  echo "unexpected output: $got"; exit 1
fi
}
check ".package(name: \"tonghop\", path: \"$root\")"
echo "ok: a package depending on this folder by path builds and reads a workbook through Sheets"
# SwiftPM refuses unsafe flags in a dependency pinned to a version (not to a branch or a
# revision): tag the clone and depend on the tag.
git clone -q "$root" "$work/git/tonghop"
git -C "$work/git/tonghop" tag 99.0.0
check ".package(url: \"file://$work/git/tonghop\", exact: \"99.0.0\")"
echo "ok: a package depending on its last commit as version 99.0.0 by URL builds too (no unsafe flags)"

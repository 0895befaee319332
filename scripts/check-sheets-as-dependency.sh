#!/usr/bin/env bash
# Shows that another package can depend on this one by path and import `Sheets`: makes a
# throwaway package in a temporary folder, builds it, and runs it on a fixture. SwiftPM refuses
# a dependency that uses unsafe flags, so this fails if Package.swift ever gains one again.
#
#     bash scripts/check-sheets-as-dependency.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Sources/uses-sheets"
cat > "$work/Package.swift" <<SWIFT
// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "uses-sheets",
    dependencies: [.package(name: "tonghop", path: "$root")],
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
(cd "$work" && swift build --scratch-path "$work/.build" 2>&1 | tail -n 3)
got=$("$work/.build/debug/uses-sheets" "$root/Tests/SheetsTests/Fixtures/quirk_ampersand_names.xlsx" | head -n 1)
if [ "$got" != "5&4|a<b> \"c\" 'd'|Đại &amp; T&#38;" ]; then
  echo "unexpected output: $got"; exit 1
fi
echo "ok: a package depending on this one by path builds and reads a workbook through Sheets"

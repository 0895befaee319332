// Reads spreadsheets cell by cell through `Sheets`, as the pipeline does, and prints the
// best wall time of N runs. Used by Benchmarks/run.sh; not part of the product.
import Foundation
import Sheets

let args = CommandLine.arguments.dropFirst()
guard let path = args.first else {
    FileHandle.standardError.write(Data("usage: sheets-bench FILE [RUNS]\n".utf8))
    exit(64)
}
let runs = args.dropFirst().first.flatMap { Int($0) } ?? 3
var best = Double.infinity
var cells = 0
var checksum = 0.0
for _ in 0..<runs {
    let start = DispatchTime.now().uptimeNanoseconds
    cells = 0
    checksum = 0
    let book = try Spreadsheets.open(path: path)
    try book.readSheet(1) { row in
        for c in row.cells {
            cells += 1
            // Touch every value so nothing is optimised away.
            switch c.value {
            case .number(let d): checksum += d
            case .text(let s): checksum += Double(s.utf8.count)
            case .dateTime(let dt): checksum += Double(dt.day)
            default: break
            }
        }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    best = min(best, seconds)
}
print(String(format: "%.3f s  %d cells  %.0f cells/s  (checksum %.0f)", best, cells, Double(cells) / best, checksum))

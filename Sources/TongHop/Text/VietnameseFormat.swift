// Numbers as a Vietnamese reader expects them: `1.234,5`; at most 15 significant digits.
import Foundation
import Sheets

public enum VietnameseFormat {
    /// `1234.5` → `1.234,5`; `0.3` → `0,3`; integers without a decimal part.
    public static func number(_ d: Double, maxFractionDigits: Int = 6) -> String {
        if d.isNaN || d.isInfinite { return "—" }
        var scale = 1.0
        for _ in 0..<maxFractionDigits { scale *= 10 }
        let rounded = (d * scale).rounded() / scale
        let plain = NumberText.format(rounded)
        if plain.contains("e") { return plain.replacingOccurrences(of: ".", with: ",") }
        let negative = plain.hasPrefix("-")
        let body = negative ? String(plain.dropFirst()) : plain
        let parts = body.split(separator: ".", maxSplits: 1)
        var integer = String(parts[0])
        var grouped = ""
        while integer.count > 3 {
            grouped = "." + integer.suffix(3) + grouped
            integer = String(integer.dropLast(3))
        }
        grouped = integer + grouped
        if parts.count > 1 { grouped += "," + parts[1] }
        return (negative ? "-" : "") + grouped
    }
}

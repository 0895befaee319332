// styles.xml: which cell styles show numbers as dates, times or durations.
import Foundation

enum NumberFormatKind: Equatable {
    case plain, percent, date, time, duration
}

enum NumberFormatClassifier {
    /// Built-in ids that are dates or times (ECMA-376 18.8.30; 27–36 and 50–58 are the
    /// East Asian date formats WPS and localised Excel write without a `<numFmt>`).
    static func builtin(_ id: Int) -> NumberFormatKind {
        switch id {
        case 14...17, 22, 27...36, 50...58: return .date
        case 18...21, 45, 47: return .time
        case 46: return .duration
        case 9, 10: return .percent
        default: return .plain
        }
    }

    /// Classifies a custom format code by its first section, ignoring quoted literals,
    /// escaped characters and bracketed colours, conditions and locales. `[h]`, `[m]`, `[s]`
    /// are elapsed time.
    static func custom(_ code: String) -> NumberFormatKind {
        var hasDate = false, hasMonthOrMinute = false, hasTime = false, elapsed = false, percent = false
        var inQuote = false, escaped = false
        var bracket: [Character] = []
        var inBracket = false
        let chars = Array(code)
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            i += 1
            if escaped { escaped = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if inBracket {
                if ch == "]" {
                    inBracket = false
                    let inner = String(bracket).lowercased()
                    if !inner.isEmpty, inner.allSatisfy({ "hms".contains($0) }) { elapsed = true }
                    bracket.removeAll()
                } else {
                    bracket.append(ch)
                }
                continue
            }
            switch ch {
            case "\\", "_", "*": escaped = true
            case "\"": inQuote = true
            case "[": inBracket = true
            case ";": return kind(hasDate, hasMonthOrMinute, hasTime, elapsed, percent)
            case "d", "D", "y", "Y": hasDate = true
            case "m", "M": hasMonthOrMinute = true
            case "h", "H", "s", "S": hasTime = true
            case "%": percent = true
            case "a", "A":
                // AM/PM and A/P are time markers (their M is not a month); alone they still
                // make the format a time of day.
                for marker in ["am/pm", "a/p"] where i - 1 + marker.count <= chars.count
                    && String(chars[(i - 1)..<(i - 1 + marker.count)]).lowercased() == marker {
                    hasTime = true
                    i += marker.count - 1
                    break
                }
            default: break
            }
        }
        return kind(hasDate, hasMonthOrMinute, hasTime, elapsed, percent)
    }

    private static func kind(_ date: Bool, _ m: Bool, _ time: Bool, _ elapsed: Bool, _ percent: Bool) -> NumberFormatKind {
        if elapsed { return .duration }
        if percent && !date && !time { return .percent }
        if date { return .date }
        // An m beside h or s ("h:mm", "mm:ss") is minutes; alone ("mmm-yy" without y is rare) a month.
        if time { return .time }
        return m ? .date : .plain
    }
}

/// Reads `numFmts` and `cellXfs` and keeps, per cell style index, the kind of its format.
final class StylesHandler: XMLPartHandler {
    var customFormats: [Int: String] = [:]
    private var xfFormatIds: [Int] = []
    private var inCellXfs = false
    private var skipDepth = 0

    override func startElement(_ name: XMLName, _ a: XMLAttributes) {
        if skipDepth > 0 { skipDepth += 1; return }
        if name.is("extLst") { skipDepth = 1; return }
        guard Namespace.spreadsheet.matches(name.uri) else { return }
        if name.is("numFmt") {
            if let id = a.string("numFmtId").flatMap({ Int($0) }), let code = a.string("formatCode") {
                customFormats[id] = code
            }
        } else if name.is("cellXfs") {
            inCellXfs = true
        } else if inCellXfs, name.is("xf") {
            xfFormatIds.append(a.string("numFmtId").flatMap { Int($0) } ?? 0)
        }
    }

    override func endElement(_ name: XMLName) {
        if skipDepth > 0 { skipDepth -= 1; return }
        if name.is("cellXfs", in: .spreadsheet) { inCellXfs = false }
    }

    override func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}

    /// The kind of each cell style, by its index in `cellXfs`.
    func styleKinds() -> [NumberFormatKind] {
        xfFormatIds.map { id in
            if let code = customFormats[id] { return NumberFormatClassifier.custom(code) }
            return NumberFormatClassifier.builtin(id)
        }
    }
}

// RFC 4180 output: fields quoted when they hold the delimiter, a quote or a line break.
// Written as bytes: the test for quoting looks at UTF-8 bytes, never at Characters.
import Foundation

public enum CSVWriter {
    public static func field(_ s: String, delimiter: Character = ",") -> String {
        var out: [UInt8] = []
        appendField(s, delimiter: delimiterByte(delimiter), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// One record, CRLF-terminated as RFC 4180 has it.
    public static func record(_ fields: [String], delimiter: Character = ",") -> String {
        var out: [UInt8] = []
        let d = delimiterByte(delimiter)
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(d) }
            appendField(f, delimiter: d, to: &out)
        }
        out.append(0x0D); out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }

    static func delimiterByte(_ c: Character) -> UInt8 {
        c.asciiValue ?? UInt8(ascii: ",")
    }

    /// Appends a text field, quoted when it must be.
    @inline(__always)
    public static func appendField(_ s: String, delimiter: UInt8 = UInt8(ascii: ","), to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendField(bytes: $0, delimiter: delimiter, to: &out) }
    }

    /// Appends the bytes of a field (UTF-8), quoted when they hold the delimiter, a quote or
    /// a line break.
    public static func appendField(bytes p: UnsafeBufferPointer<UInt8>, delimiter: UInt8, to out: inout [UInt8]) {
        var needsQuotes = false
        for b in p where b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D {
            needsQuotes = true
            break
        }
        guard needsQuotes else { out.append(contentsOf: p); return }
        out.append(0x22)
        for b in p {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }

    /// Appends a cell's display text as a field. Numbers, dates and booleans never need quotes
    /// with a comma, semicolon or tab delimiter; text is checked.
    public static func appendCell(_ value: CellValue, delimiter: UInt8 = UInt8(ascii: ","), to out: inout [UInt8]) {
        switch value {
        case .text(let s), .error(let s): appendField(s, delimiter: delimiter, to: &out)
        default:
            if delimiter == UInt8(ascii: ",") || delimiter == UInt8(ascii: ";") || delimiter == 0x09 {
                value.appendDisplayText(to: &out)
            } else {
                appendField(value.displayText, delimiter: delimiter, to: &out)
            }
        }
    }
}

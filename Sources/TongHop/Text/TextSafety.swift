// Text: characters from a district's file that must not act on the reader's screen. Direction
// controls (U+202A–202E, U+2066–2069, U+200E/200F, U+061C) reorder what is shown around
// them, so "Xã An‮5,01‬" reads as another number; C0 and C1 controls (ESC, CSI…) drive a
// terminal. Wherever text from a file is shown (HTML, CSV, the terminal) each such character
// is written as a visible mark, ‹U+202E›, so the reader sees that it is there and nothing
// moves.
import Foundation

public enum TextSafety {
    public static func isDirectional(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        default: return false
        }
    }

    /// C0 (but tab, line feed and carriage return), DEL and C1 controls.
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        (s.value < 0x20 && s.value != 0x09 && s.value != 0x0A && s.value != 0x0D) || (0x7F...0x9F).contains(s.value)
    }

    /// `text` with every direction or control character written as ‹U+XXXX›. Line breaks and
    /// tabs stay (a cell may hold them); pass `lineBreaks: false` to mark them too.
    public static func neutralised(_ text: String, lineBreaks: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: { isDirectional($0) || isControl($0) || (!lineBreaks && $0.value < 0x20) }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if isDirectional(s) || isControl(s) || (!lineBreaks && s.value < 0x20) {
                out.append(contentsOf: String(format: "‹U+%04X›", s.value).unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    /// The same for UTF-8 bytes of a whole page or file (HTML, CSV): unchanged bytes when
    /// there is nothing to mark, which is nearly always.
    public static func neutralised(_ data: Data) -> Data {
        // Every character to mark is a byte below 0x20 or 0x7F, or encoded C2 80…9F (C1),
        // D8 9C (U+061C), E2 80 8E/8F or AA…AE, E2 81 A6…A9 (direction marks): a scan of the
        // bytes for exactly these skips every page without one (a page's dashes and arrows,
        // E2 too, no longer send it through a String).
        let suspect = data.withUnsafeBytes { raw -> Bool in
            let b = raw.bindMemory(to: UInt8.self)
            let n = b.count
            var i = 0
            while i < n {
                let c = b[i]
                if c < 0x20 {
                    if c != 0x09 && c != 0x0A && c != 0x0D { return true }
                } else if c == 0x7F {
                    return true
                } else if c == 0xC2 || c == 0xD8 || c == 0xE2, i + 1 < n {
                    let d = b[i + 1]
                    if c == 0xC2, d >= 0x80, d <= 0x9F { return true }
                    if c == 0xD8, d == 0x9C { return true }
                    if c == 0xE2, i + 2 < n {
                        let e = b[i + 2]
                        if d == 0x80, e == 0x8E || e == 0x8F || (e >= 0xAA && e <= 0xAE) { return true }
                        if d == 0x81, e >= 0xA6, e <= 0xA9 { return true }
                    }
                }
                i += 1
            }
            return false
        }
        guard suspect, let text = String(data: data, encoding: .utf8) else { return data }
        let marked = neutralised(text)
        return marked == text ? data : Data(marked.utf8)
    }
}

// How a written sheet prints (paper, orientation, scale, titles repeated on every page, page
// breaks, header and footer), and the measure of text in the writer's font, so that a caller
// can give a wrapped row the height it needs: neither Excel nor LibreOffice grows a row for
// wrapped text when a file is opened, and a row without a height clips it on screen and paper.
import Foundation

public struct PageSetup: Sendable, Equatable {
    /// Paper sizes by SpreadsheetML's `paperSize` code.
    public enum Paper: Int, Sendable {
        case a4 = 9, a3 = 8

        /// Width and height in points, portrait.
        public var size: (width: Double, height: Double) {
            switch self {
            case .a4: return (595.3, 841.9)
            case .a3: return (841.9, 1190.6)
            }
        }
    }

    /// Margins in inches, as SpreadsheetML writes them.
    public struct Margins: Sendable, Equatable {
        public var left = 0.5, right = 0.5, top = 0.6, bottom = 0.6, header = 0.3, footer = 0.3

        public init(left: Double = 0.5, right: Double = 0.5, top: Double = 0.6, bottom: Double = 0.6,
                    header: Double = 0.3, footer: Double = 0.3) {
            self.left = left
            self.right = right
            self.top = top
            self.bottom = bottom
            self.header = header
            self.footer = footer
        }
    }

    public var paper = Paper.a4
    public var landscape = false
    /// Print at this percentage (10–400); used when `fitToWidth` is nil.
    public var scale = 100
    /// Shrink the print to this many pages wide (and `fitToHeight` tall; 0 is as many as needed).
    /// Applications choose the scale then, with no lower limit.
    public var fitToWidth: Int?
    public var fitToHeight = 0
    /// Rows and columns printed again on every page (`_xlnm.Print_Titles`), 1-based.
    public var repeatRows: ClosedRange<Int>?
    public var repeatColumns: ClosedRange<Int>?
    /// Manual page breaks: a new page begins at each of these rows and columns (1-based).
    public var rowBreaks: [Int] = []
    public var columnBreaks: [Int] = []
    /// Pages numbered across the width first, then down (default: down, then across).
    public var acrossThenDown = false
    public var centerHorizontally = false
    /// Header and footer in the applications' codes: `&L` `&C` `&R` sections, `&P` the page
    /// number, `&N` the number of pages (`&CTrang &P/&N`).
    public var header: String?
    public var footer: String?
    public var margins = Margins()

    public init() {}

    /// The printable width and height in points at 100 %: the paper less the margins.
    public var printableSize: (width: Double, height: Double) {
        let (w, h) = paper.size
        let (pw, ph) = landscape ? (h, w) : (w, h)
        return (pw - 72 * (margins.left + margins.right), ph - 72 * (margins.top + margins.bottom))
    }
}

/// Widths and heights in the writer's fonts (Times New Roman, whose metrics Liberation Serif
/// shares), for laying out text before any application opens the file.
public enum TextMeasure {
    /// Advance widths of ASCII 32…126 in thousandths of an em.
    static let regular: [UInt16] = [
        250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500, 500,
        500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
        556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500,
        500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
    ]
    static let bold: [UInt16] = [
        250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500, 500,
        500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778,
        611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500,
        556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
    ]

    /// Width of `text` in points. A letter with diacritics is as wide as its base letter
    /// (ơ and ư a little wider, for their horn); other characters count as an em.
    public static func width(_ text: String, size: Double, bold isBold: Bool = false) -> Double {
        let table = isBold ? bold : regular
        var thousandths = 0.0
        for ch in text {
            guard let base = ch.unicodeScalars.first else { continue }
            var scalar = base
            if scalar.value > 126 {
                if let known = latinBase(ch) {
                    scalar = known
                } else if let decomposed = String(ch).decomposedStringWithCanonicalMapping.unicodeScalars.first {
                    scalar = decomposed
                }
            }
            switch scalar.value {
            case 32...126:
                var w = Double(table[Int(scalar.value) - 32])
                if "ơƠưƯờớởỡợỜỚỞỠỢừứửữựỪỨỬỮỰ".unicodeScalars.contains(base) { w *= 1.12 }
                thousandths += w
            case 0x0110, 0x0111: thousandths += scalar.value == 0x0110 ? 722 : 556  // Đ đ
            case 0x2026: thousandths += 1000  // …
            default: thousandths += 1000
            }
        }
        return thousandths * size / 1000
    }

    /// The first scalar of the canonical decomposition of a one-scalar Latin letter
    /// (U+00C0…U+024F, U+1E00…U+1EFF: every Vietnamese letter), asked of Foundation once for
    /// each rather than for every letter measured.
    static func latinBase(_ ch: Character) -> Unicode.Scalar? {
        let scalars = ch.unicodeScalars
        guard let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex else { return nil }
        switch first.value {
        case 0xC0...0x24F: return latinBases[Int(first.value - 0xC0)]
        case 0x1E00...0x1EFF: return latinBases[Int(first.value - 0x1E00) + (0x250 - 0xC0)]
        default: return nil
        }
    }

    private static let latinBases: [Unicode.Scalar?] = (Array(0xC0...0x24F) + Array(0x1E00...0x1EFF)).map { v in
        Unicode.Scalar(UInt32(v)).flatMap { String(Character($0)).decomposedStringWithCanonicalMapping.unicodeScalars.first }
    }

    /// A column `characters` wide, in points, as it prints: the wider of Excel's (7 pixels a
    /// character at 96 dpi) and LibreOffice's (the width of a digit of the 11-point font, 5.5 pt).
    public static func columnPoints(_ characters: Double) -> Double {
        characters * 5.5
    }

    /// The room for text in a column `characters` wide, in points: the narrower of the two,
    /// less about 3 points kept free on each side.
    public static func textRoom(_ characters: Double) -> Double {
        (characters * 7).rounded(.down) * 0.75 - 6
    }

    /// The number of lines `text` takes when wrapped at word boundaries in `points` of width.
    /// Explicit line breaks start new lines; a word longer than the line breaks where it must.
    public static func lines(_ text: String, width points: Double, size: Double, bold: Bool = false) -> Int {
        let room = max(points, size)
        let space = width(" ", size: size, bold: bold)
        var count = 0
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            count += 1
            var used = 0.0
            for word in paragraph.split(separator: " ") {
                let w = width(String(word), size: size, bold: bold)
                if used == 0 {
                    used = w
                } else if used + space + w <= room {
                    used += space + w
                } else {
                    count += 1
                    used = w
                }
                while used > room {  // a word wider than the line
                    count += 1
                    used -= room
                }
            }
        }
        return max(count, 1)
    }

    /// The height in points of a row whose cell, `characters` wide, wraps `text`: whole
    /// lines at 1.3 times the font size (Excel's spacing; LibreOffice's is closer), a little
    /// room above and below, in whole pixels.
    public static func wrappedHeight(_ text: String, columnCharacters: Double, size: Double, bold: Bool = false) -> Double {
        let n = lines(text, width: textRoom(columnCharacters), size: size, bold: bold)
        let points = Double(n) * size * 1.3 + 4
        return (points / 0.75).rounded(.up) * 0.75
    }
}

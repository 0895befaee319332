// Validation: text typed with the legacy Vietnamese font encodings that predate Unicode: TCVN3 (ABC,
// fonts .VnTime, .VnArial) and VNI (VNI-Times). Excel keeps the font's bytes as Windows
// characters, so such text arrives as valid Unicode that reads as nonsense ("Hµ Néi",
// "Hoäi"). Which encoding a sheet is in is decided from all its text together: each cell is
// read as it is, as TCVN3 and as VNI, every reading scored for Vietnamese (syllables of the
// language, and the plan's own words — communes, units, form titles, headers — counting
// twice); the encoding that gains most over the text as it is wins the sheet, and every text
// cell it reads better is converted, titles and headers included, before anything is matched.
import Foundation
import Sheets

public enum LegacyText {
    /// One cell converted.
    public struct Conversion: Sendable, Equatable {
        public var encoding: LegacyVietnamese.Encoding
        public var sheet: String
        public var cell: String
        public var before: String
        public var after: String
    }

    /// Words every report is written with, beyond the plan's own.
    static let commonWords = [
        "Đơn vị", "Kỳ báo cáo", "Tổng cộng", "Cộng", "Tổng số", "Toàn huyện", "Người lập biểu", "Chủ tịch", "Phó Chủ tịch",
        "Ghi chú", "Ký tên", "Thủ trưởng", "Xác nhận", "Kế toán", "Nơi nhận", "Số thứ tự", "Tháng", "Quý", "Năm", "Ngày",
        "Hội Liên hiệp Phụ nữ", "Cộng hòa xã hội chủ nghĩa Việt Nam", "Độc lập - Tự do - Hạnh phúc", "Báo cáo", "Biểu",
        "Huyện", "Thị xã", "Thành phố", "Xã", "Phường", "Thị trấn", "triệu đồng", "đồng", "hộ", "người", "Không có",
    ]

    /// Everything a plan's files are expected to say: names, titles, headers, values.
    static func texts(_ plan: Plan) -> [String] {
        var texts = [plan.organisation, plan.heading, plan.province] + commonWords
        for u in plan.units { texts += [u.name, u.kind, u.shortName] + u.communes + u.aliases }
        for f in plan.forms {
            texts += [f.title] + f.titleWords
            for field in f.fields { texts += [field.header, field.headerText] + field.aliases + field.values + [field.unit ?? ""] }
        }
        return texts
    }

    /// The scorer for a plan: Vietnamese syllables, the plan's words counting twice.
    public static func score(for plan: Plan) -> VietnameseScore {
        Scorer(plan: plan).words
    }

    /// Scorers already built, by plan: a run checks every file against one plan. A plan is
    /// known again by the storage of its unit and form lists (held here, so no other list can
    /// take their place while cached: a plan changed since is a copy with storage of its own)
    /// and its three names; finding it costs no hashing of its texts.
    final class Cache: @unchecked Sendable {
        private struct Entry {
            var units: [ReportingUnit]
            var forms: [FormDefinition]
            var names: [String]
            var scorer: Scorer
        }
        private let lock = NSLock()
        private var entries: [Entry] = []

        private static func same<T>(_ a: [T], _ b: [T]) -> Bool {
            a.count == b.count && a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
        }

        func scorer(_ plan: Plan, _ make: () -> Scorer) -> Scorer {
            let names = [plan.organisation, plan.heading, plan.province]
            lock.lock()
            defer { lock.unlock() }
            if let e = entries.first(where: { Cache.same($0.units, plan.units) && Cache.same($0.forms, plan.forms) && $0.names == names }) {
                return e.scorer
            }
            let s = make()
            if entries.count > 8 { entries.removeAll() }
            entries.append(Entry(units: plan.units, forms: plan.forms, names: names, scorer: s))
            return s
        }
    }
    static let cache = Cache()

    /// Scores a cell's text: its words, and three more when the whole cell is one of the
    /// plan's own names or headers ("Cam Phú" rather than "Cam Phó", a word of its own).
    public struct Scorer: Sendable {
        public var words: VietnameseScore
        public var phrases: Set<String>
        /// Cells already read and scored with this scorer: the same names come in file after file.
        let memo: Memo

        /// What `repair` works out for a cell's text, kept by text (pure in the text and the
        /// plan); emptied when it grows past a bound.
        final class Memo: @unchecked Sendable {
            struct Entry {
                var asIs: Int
                var readings: [(LegacyVietnamese.Encoding, String, Int)]
            }
            private let lock = NSLock()
            private var entries: [String: Entry] = [:]

            func entry(_ s: String, _ make: () -> Entry) -> Entry {
                lock.lock()
                if let e = entries[s] { lock.unlock(); return e }
                lock.unlock()
                let e = make()
                lock.lock()
                if entries.count >= 50_000 { entries.removeAll() }
                entries[s] = e
                lock.unlock()
                return e
            }
        }

        public init(plan: Plan) {
            self = LegacyText.cache.scorer(plan) {
                let texts = LegacyText.texts(plan)
                return Scorer(words: VietnameseScore(vocabulary: Set(texts.flatMap(VietnameseScore.words))),
                       phrases: Set(texts.map(Scorer.key)))
            }
        }

        init(words: VietnameseScore, phrases: Set<String>) {
            self.words = words
            self.phrases = phrases
            memo = Memo()
        }

        static func key(_ s: String) -> String {
            VietnameseScore.words(s).joined(separator: " ")
        }

        public func score(_ s: String) -> Int {
            words.score(s) + (phrases.contains(Scorer.key(s)) ? 3 : 0)
        }
    }

    /// Windows-1252 punctuation that Unicode text uses: kept as it is, never read as one of
    /// the capitals glibc's TCVN table puts on those bytes (a dash is not "Ọ").
    static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "€", "‚", "„", "…", "†", "‡", "ˆ", "‰", "‹", "‘", "’", "“", "”", "•", "–", "—", "˜", "™", "›":
            return true
        default:
            return false
        }
    }

    /// Whether a text can be legacy at all: a character above ASCII, and every character one of
    /// Windows-1252's (any other makes both readings nil).
    static func mayBeLegacy(_ s: String) -> Bool {
        var high = false
        for c in s.unicodeScalars where c.value >= 0x80 {
            guard LegacyVietnamese.isWindows1252(c) else { return false }
            high = true
        }
        return high
    }

    /// A text read in a legacy encoding, or nil when it cannot be one (a character outside
    /// Windows-1252) or reads the same.
    public static func reading(_ s: String, as encoding: LegacyVietnamese.Encoding) -> String? {
        var out = ""
        var run = ""
        for c in s.unicodeScalars {
            if isPunctuation(c) {
                if !run.isEmpty {
                    guard let r = LegacyVietnamese.reinterpret(run, as: encoding) else { return nil }
                    out += r
                    run = ""
                }
                out.unicodeScalars.append(c)
            } else {
                run.unicodeScalars.append(c)
            }
        }
        if !run.isEmpty {
            guard let r = LegacyVietnamese.reinterpret(run, as: encoding) else { return nil }
            out += r
        }
        return out == s ? nil : out
    }

    /// Converts a sheet's legacy text cells in place and returns what was converted, in
    /// reading order. A cell is converted only when the sheet's encoding reads it strictly
    /// better; a cell that the other encoding reads better by a whole word takes that one.
    public static func repair(_ grid: inout SheetGrid, score: Scorer) -> [Conversion] {
        struct Candidate { var row: Int; var cell: Int; var asIs: Int; var readings: [(LegacyVietnamese.Encoding, String, Int)] }
        var candidates: [Candidate] = []
        var gain: [LegacyVietnamese.Encoding: Int] = [:]
        for (ri, row) in grid.rows.enumerated() {
            for (ci, cell) in row.cells.enumerated() {
                guard case .text(let s) = cell.value, mayBeLegacy(s) else { continue }
                let read = score.memo.entry(s) {
                    var readings: [(LegacyVietnamese.Encoding, String, Int)] = []
                    for e in LegacyVietnamese.Encoding.allCases {
                        if let r = reading(s, as: e) { readings.append((e, r, score.score(r))) }
                    }
                    return .init(asIs: readings.isEmpty ? 0 : score.score(s), readings: readings)
                }
                let readings = read.readings, asIs = read.asIs
                guard !readings.isEmpty else { continue }
                for (e, _, v) in readings where v > asIs { gain[e, default: 0] += v - asIs }
                candidates.append(Candidate(row: ri, cell: ci, asIs: asIs, readings: readings))
            }
        }
        guard let (dominant, best) = gain.max(by: { ($0.value, $0.key == .tcvn3 ? 1 : 0) < ($1.value, $1.key == .tcvn3 ? 1 : 0) }),
              best >= 2 else { return [] }
        var out: [Conversion] = []
        for c in candidates {
            // In a legacy sheet, a tie goes to the sheet's encoding when the reading is Vietnamese.
            let options = c.readings.filter { e, _, v in e == dominant ? v > c.asIs || (v == c.asIs && v > 0) : v >= c.asIs + 2 }
            guard let chosen = options.max(by: { ($0.2, $0.0 == dominant ? 1 : 0) < ($1.2, $1.0 == dominant ? 1 : 0) }) else { continue }
            let cell = grid.rows[c.row].cells[c.cell]
            out.append(Conversion(encoding: chosen.0, sheet: grid.info.name,
                                  cell: CellReference(row: grid.rows[c.row].number, column: cell.column).description,
                                  before: cell.value.displayText, after: chosen.1))
            grid.rows[c.row].cells[c.cell].value = .text(chosen.1)
        }
        return out
    }

    /// A short text (a sheet's name) converted the way its sheet was.
    public static func convert(_ s: String, as encoding: LegacyVietnamese.Encoding, score: Scorer) -> String {
        guard let r = reading(s, as: encoding), score.score(r) > score.score(s) else { return s }
        return r
    }

    /// The text cells of a CSV sheet decoded from TCVN3 or VNI bytes, with the bytes as
    /// Windows shows them: what a clerk without the font would have seen.
    public static func decoded(_ grid: SheetGrid, from encoding: LegacyVietnamese.Encoding) -> [Conversion] {
        grid.rows.flatMap { row in
            row.cells.compactMap { cell -> Conversion? in
                guard case .text(let s) = cell.value, s.unicodeScalars.contains(where: { $0.value >= 0x80 }),
                      let bytes = LegacyVietnamese.encode(s, as: encoding) else { return nil }
                return Conversion(encoding: encoding, sheet: grid.info.name,
                                  cell: CellReference(row: row.number, column: cell.column).description,
                                  before: LegacyVietnamese.windows1252Text(bytes), after: s)
            }
        }
    }

    /// The one warning of a file whose text was converted: the encodings, how many cells,
    /// and three examples.
    static func finding(_ conversions: [Conversion], file: String, decodedBytes: Bool) -> Finding? {
        guard let first = conversions.first else { return nil }
        var counts: [LegacyVietnamese.Encoding: Int] = [:]
        for c in conversions { counts[c.encoding, default: 0] += 1 }
        let encodings = counts.sorted { ($0.value, $0.key.rawValue) > ($1.value, $1.key.rawValue) }.map(\.key)
        var seen = Set<String>()
        let examples = conversions.filter { seen.insert($0.before).inserted }.prefix(3)
        let shown = examples.map { "\"\($0.before)\" → \"\($0.after)\"" }.joined(separator: "; ")
        let names = encodings.map(\.displayName).joined(separator: " và ")
        let namesEn = encodings.map(\.displayName).joined(separator: " and ")
        let what = decodedBytes ? "Tệp được ghi bằng bảng mã cũ \(names) và đã được đọc chuyển sang Unicode"
                                : "Chữ trong tệp được gõ bằng bảng mã cũ \(names); \(conversions.count) ô đã được chuyển sang Unicode"
        let whatEn = decodedBytes ? "The file is written in the legacy \(namesEn) encoding and was read into Unicode"
                                  : "The file's text is typed in the legacy \(namesEn) encoding; \(conversions.count) cell(s) were converted to Unicode"
        return Finding(.warning, .legacyEncoding, file: file, sheet: first.sheet, cell: decodedBytes ? nil : first.cell,
                       value: encodings.map(\.rawValue).joined(separator: ", "),
                       Message(vi: "\(what), ví dụ: \(shown).", en: "\(whatEn), e.g. \(shown).",
                               hint: .init(vi: "Cách sửa: kiểm tra lại các chữ đã chuyển; lần sau gõ bằng Unicode (bộ gõ Unikey hoặc EVKey, bảng mã Unicode, phông Times New Roman).",
                                           en: "To fix: check the converted text; next time type in Unicode (Unikey or EVKey, Unicode charset, a Unicode font).")))
    }

    /// A mostly UTF-8 CSV file with a few bytes that are not.
    static func finding(_ invalid: InvalidUTF8, file: String, sheet: String) -> Finding {
        Finding(.warning, .legacyEncoding, file: file, sheet: sheet, value: invalid.sample,
                Message(vi: "Tệp CSV ghi bằng UTF-8 nhưng có \(invalid.count) byte không phải UTF-8 (đầu tiên ở dòng \(invalid.line)); các byte này đã được đọc theo bảng mã \(invalid.readAs.rawValue): \"\(invalid.sample)\".",
                        en: "The CSV file is UTF-8 but has \(invalid.count) byte(s) that are not (the first on line \(invalid.line)); they were read as \(invalid.readAs.rawValue): \"\(invalid.sample)\".",
                        hint: .init(vi: "Cách sửa: kiểm tra chữ ở dòng \(invalid.line); mở tệp bằng Excel rồi lưu lại dạng \"CSV UTF-8\".",
                                    en: "To fix: check the text on line \(invalid.line) and save the file again as \"CSV UTF-8\".")))
    }
}

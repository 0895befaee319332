// Ledger: the figures consolidation reads — each submission's totals by field and, for the
// forms per-commune targets read, its rows — in one pass over the value table in storage
// order. Read through the primary key with SQL's sum instead, each value cost a seek into the
// table and each total a sort: most of a national run's consolidation. Every total is added
// up here, one row after another in row key order, whichever way it is read: SQLite's own
// `sum` adds that way before 3.43 and more exactly after, so a total left to it would
// depend on the machine's SQLite.
import Foundation
import GRDB
import GRDBSQLite

extension Ledger {
    /// Each submission's numbers summed over its rows, by field: what consolidation needs.
    /// Only the fields whose every row has a number: a field with a no-data row (or an absent
    /// column) is left out, no data for that unit. Each submission read by its key.
    public func totals(submissions ids: [Int64]) throws(LedgerError) -> [Int64: [String: Double]] {
        guard let last = ids.max(), last > 0 else { return [:] }
        var wanted = [UInt8](repeating: 0, count: Int(last) + 1)
        for id in ids where id > 0 { wanted[Int(id)] = 1 }
        return try read { db in
            let statement = try db.makeStatement(sql: ValueScan.sql)
            // The statement object owns the SQLite statement: kept alive while it is stepped.
            defer { withExtendedLifetime(statement) {} }
            var scan = ValueScan(wanted: wanted)
            for id in Set(ids).sorted() where id > 0 { try scan.run(statement.sqliteStatement, submissions: id...id) }
            return scan.out.totals
        }
    }

    /// What `totals(submissions:)` gives for some submissions and `values(submissions:)` for
    /// others (or the same).
    public struct Figures: Sendable, Equatable {
        /// submission → field → the sum of its rows, for the fields whose every row has a number.
        public var totals: [Int64: [String: Double]] = [:]
        /// submission → row key → field → number.
        public var rows: [Int64: [String: [String: Double]]] = [:]
    }


    /// The totals of the `totals` submissions and the rows of the `rows` submissions, equal to
    /// what `totals(submissions:)` and `values(submissions:)` give: a total adds its rows in
    /// the order of their row keys, as SQLite's `sum` met them there, so it is the same double.
    /// The table is kept in the order of its key (submission, row key, field), so a
    /// submission's values lie together, its rows in key order. The figures of fewer than a
    /// third of the submissions are read by key instead, at less cost. The two halves of the
    /// table (two ranges of submissions) are read at once, each on a read-only connection of
    /// its own, when the ledger holds no write not yet committed (which another connection
    /// would not see) and the values span at least `halvesFrom` submissions.
    public func figures(totals: Set<Int64>, rows: Set<Int64>, halvesFrom: Int64 = 1_000) throws(LedgerError) -> Figures {
        let last = max(totals.max() ?? 0, rows.max() ?? 0)
        guard last > 0 else { return Figures() }
        // What is wanted of each submission id: 1 its totals, 2 its rows.
        var wanted = [UInt8](repeating: 0, count: Int(last) + 1)
        for id in totals where id > 0 { wanted[Int(id)] |= 1 }
        for id in rows where id > 0 { wanted[Int(id)] |= 2 }
        let (first, end, submissions, writing) = try read { db in
            let bounds = try Row.fetchOne(db, sql: "SELECT min(submission_id), max(submission_id), (SELECT count(*) FROM submission) FROM value")
            return (bounds?[0] as Int64? ?? 0, bounds?[1] as Int64? ?? -1, bounds?[2] as Int? ?? 0,
                    sqlite3_txn_state(db.sqliteConnection, nil) == SQLITE_TXN_WRITE)
        }
        guard first <= end else { return Figures() }
        // A few of many submissions (last year's reports in a ledger of several years): by key
        // costs less than reading every value.
        if totals.union(rows).count * 3 < submissions {
            return Figures(totals: try self.totals(submissions: totals.sorted()), rows: try values(submissions: rows.sorted()))
        }
        let middle = first + (end - first) / 2
        let path = self.path, frozen = wanted
        var parts: [ValueScan]
        if !writing, end - first >= halvesFrom,
           let halves = try? Parallel.map(2, { half in
               try ValueScan.separately(path: path, wanted: frozen, submissions: half == 0 ? first...middle : middle + 1...end)
           }) {
            parts = halves
        } else {
            parts = [try read { db in
                let statement = try db.makeStatement(sql: ValueScan.sql)
                // The statement object owns the SQLite statement: kept alive while it is stepped.
                defer { withExtendedLifetime(statement) {} }
                var scan = ValueScan(wanted: wanted)
                try scan.run(statement.sqliteStatement, submissions: first...end)
                return scan
            }]
        }
        var out = parts[0].out
        for part in parts.dropFirst() {
            out.totals.merge(part.out.totals) { a, _ in a }
            out.rows.merge(part.out.rows) { a, _ in a }
        }
        return out
    }
}

/// One pass over the value table in storage order, a submission's values at a time.
private struct ValueScan {
    let wanted: [UInt8]
    var out = Ledger.Figures()
    var names = FieldNames()
    var current = SubmissionValues()

    init(wanted: [UInt8]) { self.wanted = wanted }

    /// The values of the submissions numbered in `submissions`, read on a read-only
    /// connection of their own.
    static func separately(path: String, wanted: [UInt8], submissions: ClosedRange<Int64>) throws -> ValueScan {
        var connection: OpaquePointer?
        defer { sqlite3_close_v2(connection) }
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let connection else {
            throw DatabaseError(resultCode: .SQLITE_CANTOPEN, message: path)
        }
        sqlite3_busy_timeout(connection, 5000)
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        let code = sqlite3_prepare_v2(connection, Self.sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
        }
        var scan = ValueScan(wanted: wanted)
        try scan.run(statement, submissions: submissions)
        return scan
    }

    static let sql = "SELECT submission_id, row_key, field, number FROM value WHERE submission_id BETWEEN ?1 AND ?2"

    mutating func run(_ s: OpaquePointer, submissions: ClosedRange<Int64>) throws {
        sqlite3_reset(s)
        sqlite3_bind_int64(s, 1, submissions.lowerBound)
        sqlite3_bind_int64(s, 2, submissions.upperBound)
        while true {
            let code = sqlite3_step(s)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(s)))
                sqlite3_reset(s)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: Self.sql)
            }
            let id = sqlite3_column_int64(s, 0)
            guard id > 0, id < wanted.count, wanted[Int(id)] != 0 else { continue }
            if id != current.id {
                // The table's key keeps a submission's values together: one met again after
                // another would be summed from part of its values.
                guard id > current.id else {
                    sqlite3_reset(s)
                    throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "bảng value không theo thứ tự khóa (báo cáo số \(id) gặp lại sau báo cáo khác)", sql: Self.sql)
                }
                finish()
                current.reset(id: id)
            }
            current.row(UnsafeRawBufferPointer(start: UnsafeRawPointer(sqlite3_column_text(s, 1)), count: Int(sqlite3_column_bytes(s, 1))))
            let field = names.index(UnsafeRawBufferPointer(start: UnsafeRawPointer(sqlite3_column_text(s, 2)), count: Int(sqlite3_column_bytes(s, 2))))
            current.add(field, sqlite3_column_type(s, 3) == SQLITE_NULL ? nil : sqlite3_column_double(s, 3))
        }
        finish()
        current.reset(id: 0)
    }

    private mutating func finish() {
        guard current.id > 0 else { return }
        let want = wanted[Int(current.id)]
        if want & 1 != 0, let t = current.totals(names) { out.totals[current.id] = t }
        if want & 2 != 0, let r = current.rows(names) { out.rows[current.id] = r }
    }
}

/// Field names met in the value table, each given a small number once: a few dozen names
/// over millions of values, found by a hash of their bytes.
private struct FieldNames {
    var names: [String] = []
    /// Every name's bytes, one after another; `spans` says where each lies.
    private var bytes: [UInt8] = []
    private var spans: [Range<Int>] = []
    /// Open addressing: the number + 1 of the name in each slot, 0 for an empty slot.
    private var slots = [Int32](repeating: 0, count: 256)

    /// The length and the first and last eight bytes, mixed: enough to tell field names apart.
    private static func hash(_ b: UnsafeRawBufferPointer) -> Int {
        var h = UInt64(b.count) &* 0x9e37_79b9_7f4a_7c15
        if b.count >= 8 {
            h = (h ^ b.loadUnaligned(as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
            h = (h ^ b.loadUnaligned(fromByteOffset: b.count - 8, as: UInt64.self)) &* 0xc4ce_b9fe_1a85_ec53
        } else {
            for x in b { h = (h ^ UInt64(x)) &* 0x100_0000_01b3 }
        }
        return Int(truncatingIfNeeded: h ^ (h >> 33))
    }

    private func named(_ n: Int, _ b: UnsafeRawBufferPointer) -> Bool {
        let span = spans[n]
        guard span.count == b.count else { return false }
        return bytes.withUnsafeBytes { all in
            span.isEmpty || memcmp(all.baseAddress! + span.lowerBound, b.baseAddress!, span.count) == 0
        }
    }

    /// The number of the name `b`.
    mutating func index(_ b: UnsafeRawBufferPointer) -> Int32 {
        let mask = slots.count - 1
        var i = Self.hash(b) & mask
        while slots[i] != 0 {
            let n = Int(slots[i] - 1)
            if named(n, b) { return Int32(n) }
            i = (i + 1) & mask
        }
        let n = Int32(names.count)
        let start = bytes.count
        bytes.append(contentsOf: b)
        spans.append(start..<bytes.count)
        names.append(String(decoding: b, as: UTF8.self))
        slots[i] = n + 1
        if names.count * 2 > slots.count { grow() }
        return n
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (n, span) in spans.enumerated() {
            var i = bytes.withUnsafeBytes { Self.hash(UnsafeRawBufferPointer(rebasing: $0[span])) } & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(n + 1)
        }
    }
}

/// One submission's values as stored: its rows (runs of one row key) and their fields.
private struct SubmissionValues {
    var id: Int64 = 0
    private var keys: [UInt8] = []
    /// Each row: where its key lies in `keys`, and its first value in `fields`/`numbers`.
    private var rowKeys: [Range<Int>] = []
    private var rowStarts: [Int] = []
    private var fields: [Int32] = []
    private var numbers: [Double?] = []
    // Per field, while a submission is totalled (kept between submissions).
    private var sums: [Double] = []
    private var seen: [Bool] = []
    private var blank: [Bool] = []

    mutating func reset(id: Int64) {
        self.id = id
        keys.removeAll(keepingCapacity: true)
        rowKeys.removeAll(keepingCapacity: true)
        rowStarts.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
    }

    /// The row key of the next value: a new row when it differs from the last one's.
    mutating func row(_ key: UnsafeRawBufferPointer) {
        if let last = rowKeys.last, last.count == key.count,
           last.isEmpty || keys.withUnsafeBytes({ memcmp($0.baseAddress! + last.lowerBound, key.baseAddress!, last.count) == 0 }) { return }
        let start = keys.count
        keys.append(contentsOf: key)
        rowKeys.append(start..<keys.count)
        rowStarts.append(fields.count)
    }

    mutating func add(_ field: Int32, _ number: Double?) {
        fields.append(field)
        numbers.append(number)
    }

    /// The rows in the order of their keys (SQLite's BINARY collation: bytes, then length).
    private func ordered() -> [Int] {
        func less(_ a: Int, _ b: Int) -> Bool { keys[rowKeys[a]].lexicographicallyPrecedes(keys[rowKeys[b]]) }
        let rows = Array(rowKeys.indices)
        if zip(rows, rows.dropFirst()).allSatisfy({ !less($0.1, $0.0) }) { return rows }
        return rows.sorted(by: less)
    }

    private func values(of row: Int) -> Range<Int> {
        rowStarts[row]..<(row + 1 < rowStarts.count ? rowStarts[row + 1] : fields.count)
    }

    /// Each field whose every row has a number, summed in row key order; nil when none.
    mutating func totals(_ names: FieldNames) -> [String: Double]? {
        if sums.count < names.names.count {
            let more = names.names.count - sums.count
            sums += Array(repeating: 0, count: more)
            seen += Array(repeating: false, count: more)
            blank += Array(repeating: false, count: more)
        }
        var touched: [Int32] = []
        for row in ordered() {
            for i in values(of: row) {
                let f = Int(fields[i])
                if !seen[f] { seen[f] = true; sums[f] = 0; blank[f] = false; touched.append(fields[i]) }
                if let n = numbers[i] { sums[f] += n } else { blank[f] = true }
            }
        }
        var out: [String: Double] = [:]
        for f in touched.map(Int.init) {
            if !blank[f] { out[names.names[f]] = sums[f] }
            seen[f] = false
        }
        return out.isEmpty ? nil : out
    }

    /// Row key → field → number, the rows with at least one number; nil when none has.
    func rows(_ names: FieldNames) -> [String: [String: Double]]? {
        var out: [String: [String: Double]] = [:]
        for row in rowKeys.indices {
            var fieldsOfRow: [String: Double] = [:]
            for i in values(of: row) { if let n = numbers[i] { fieldsOfRow[names.names[Int(fields[i])]] = n } }
            guard !fieldsOfRow.isEmpty else { continue }
            let key = keys[rowKeys[row]].withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            out[key, default: [:]].merge(fieldsOfRow) { _, new in new }
        }
        return out.isEmpty ? nil : out
    }
}

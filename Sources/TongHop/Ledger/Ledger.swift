// Ledger: the SQLite record of everything the job has seen, through GRDB. The only stage
// that writes to disk besides the report writer.
//
// Schema (migrations are named, forward-only, and never edited once shipped):
//   run          one row per run that changed something: started/finished, as-of date, counts.
//   file         every distinct file ever seen, by content: sha256, size, the name it was
//                first seen under, received date (set once, never changed), format, status.
//   file_name    every name a file has been seen under (a byte-identical copy adds a name).
//   submission   one form of one unit for one period from one file (a workbook may hold
//                several): version, status, received date, and the accepted submission that
//                superseded it.
//   finding      every finding, on a file or on one of its submissions.
//   value        every value of an accepted or rejected submission: row key (the commune,
//                or "" for a one-row form), field, number or text.
//   change       what changed between a submission and the one it superseded.
//   (v2) file_name.size and .mtime: how the name looked when recorded, so that an unchanged
//                file is known without reading it again; report: the fingerprint of the
//                reports last written for each period, so that nothing is rendered twice.
//   (value-one-tree) value: one B-tree by its key (WITHOUT ROWID), its submission not checked by SQLite.
import Foundation
import GRDB
import GRDBSQLite

public struct LedgerError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// No ledger where one must already be (`status`).
        case missing
        /// The folder for a new ledger does not exist (a mistyped `--db`).
        case noFolder
        /// A 0-byte file.
        case empty
        /// A file that is not a tonghop ledger: another database, a folder, anything else.
        case notALedger
        /// A tonghop ledger whose pages fail SQLite's integrity check.
        case damaged
        /// Anything else (permissions, a full disk, a lock).
        case failed
    }

    /// What SQLite said, as GRDB's `DatabaseError` gave it: kept for whoever debugs, never
    /// shown to the clerk (`detail` is SQLite's message alone).
    public struct SQLite: Sendable, Equatable {
        /// The extended result code (`SQLITE_CORRUPT`, `SQLITE_IOERR_WRITE` …).
        public var extendedCode: Int32
        /// The primary result code.
        public var code: Int32
        public var message: String?
        /// The statement that met the error, when there was one.
        public var sql: String?
    }

    public var path: String
    public var detail: String
    public var kind: Kind = .failed
    /// The SQLite error this one wraps, if it came from SQLite.
    public var sqlite: SQLite?
    public var description: String { "\(path): \(detail)" }

    public init(path: String, detail: String, kind: Kind = .failed, sqlite: SQLite? = nil) {
        self.path = path
        self.detail = detail
        self.kind = kind
        self.sqlite = sqlite
    }

    /// GRDB's error, as the clerk needs it: damage and foreign files by their kind, SQLite's
    /// message as the detail; the statement and result code kept in `sqlite`.
    public init(_ error: DatabaseError, path: String) {
        let kind: Kind
        switch error.resultCode {
        case .SQLITE_CORRUPT: kind = .damaged
        case .SQLITE_NOTADB: kind = .notALedger
        default: kind = .failed
        }
        self.init(path: path, detail: error.message ?? "SQLite \(error.resultCode.rawValue)", kind: kind,
                  sqlite: SQLite(extendedCode: error.extendedResultCode.rawValue, code: error.resultCode.rawValue,
                                 message: error.message, sql: error.sql))
    }

    /// An error met while using the ledger: a `LedgerError` as it is, GRDB's wrapped. Only the
    /// ledger's own code calls this, on what it ran against SQLite.
    static func from(_ error: Error, path: String) -> LedgerError {
        if let e = error as? LedgerError { return e }
        if let e = error as? DatabaseError { return LedgerError(e, path: path) }
        return LedgerError(path: path, detail: "\(error)")
    }
}

public final class Ledger {
    public let path: String
    let db: DatabaseQueue

    /// A run's row in the ledger: the day it judges by and when it started. Given once
    /// (`begin`); the first change the run makes writes it.
    public struct RunStamp: Sendable, Equatable {
        public var asOf: Day
        public var startedAt: String

        public init(asOf: Day, startedAt: String) {
            self.asOf = asOf
            self.startedAt = startedAt
        }
    }

    /// The run this ledger records for; nil until `begin`.
    public private(set) var stamp: RunStamp?

    /// Names the run that the following changes belong to.
    public func begin(_ stamp: RunStamp) {
        self.stamp = stamp
    }

    /// `db.read`, its errors as `LedgerError`. While files are gathered (`gathering`), the
    /// gathered transaction's connection: a read sees the files recorded before it.
    func read<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        if let gathered { do { return try body(gathered) } catch { throw LedgerError.from(error, path: path) } }
        do { return try db.read(body) } catch { throw LedgerError.from(error, path: path) }
    }

    /// `db.write` (one transaction), its errors as `LedgerError`. While files are gathered,
    /// part of the gathered transaction (begun by the first write after a commit).
    func write<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        if let gathered {
            do {
                // A write that failed may have left part of a file: nothing more is
                // written or committed in this gathering, which rolls back.
                guard !gatheredBroken else { throw LedgerError(path: path, detail: "a write after a failed write in one transaction") }
                if gatheredSince == nil {
                    try gathered.execute(sql: "BEGIN IMMEDIATE")
                    gatheredSince = ProcessInfo.processInfo.systemUptime
                } else if !gathered.isInsideTransaction {
                    // SQLite ended the transaction itself (after an I/O error): what it
                    // held is gone, so the files counted as recorded are not.
                    throw LedgerError(path: path, detail: "the transaction ended before its commit")
                }
                return try body(gathered)
            } catch {
                gatheredBroken = true
                throw LedgerError.from(error, path: path)
            }
        }
        do { return try db.write(body) } catch { throw LedgerError.from(error, path: path) }
    }

    // MARK: - Gathered writes

    /// The connection of the transaction `gathering` holds, while it runs.
    private var gathered: Database?
    /// When the open gathered transaction began; nil when none is open.
    private var gatheredSince: Double?
    private var gatheredBroken = false
    /// The run's row as of the last commit: a rolled-back gathering may have made one.
    private var committedRunId: Int64?

    /// Runs `body` with the ledger's writes gathered into few transactions instead of one
    /// each: with a commit costing a sync of the disk, one per file cost more than all the
    /// rest of recording. `commitGathered` ends the open transaction; the caller calls it
    /// between files only, so that a transaction always holds whole files, and a run killed
    /// at any moment leaves each file either wholly recorded or not at all (it is checked
    /// again by the next run). What `body` left uncommitted is committed when it returns and
    /// rolled back when it throws.
    public func gathering<T>(_ body: () throws(LedgerError) -> T) throws(LedgerError) -> T {
        precondition(gathered == nil, "gathering inside a gathering")
        committedRunId = runId
        do {
            return try db.writeWithoutTransaction { db in
                gathered = db
                gatheredBroken = false
                defer {
                    gathered = nil
                    gatheredSince = nil
                }
                // A transaction of a second's files outgrows SQLite's 2 MB page cache, which
                // then spills pages to the WAL and reads them back: more cache while gathering.
                let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
                try db.execute(sql: "PRAGMA cache_size = -16384")
                defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
                do {
                    let value = try body()
                    guard !gatheredBroken else { throw LedgerError(path: path, detail: "a failed write in a transaction about to be committed") }
                    if db.isInsideTransaction { try db.execute(sql: "COMMIT") }
                    return value
                } catch {
                    if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
                    runId = committedRunId
                    throw error
                }
            }
        } catch {
            throw LedgerError.from(error, path: path)
        }
    }

    /// Commits what was gathered when the open transaction began at least `seconds` ago
    /// (0: whenever one is open). Says whether it committed.
    public func commitGathered(olderThan seconds: Double = 0) throws(LedgerError) -> Bool {
        guard let gathered, let since = gatheredSince, ProcessInfo.processInfo.systemUptime - since >= seconds else { return false }
        do {
            guard !gatheredBroken, gathered.isInsideTransaction else {
                throw LedgerError(path: path, detail: "the transaction ended before its commit")
            }
            try gathered.execute(sql: "COMMIT")
        } catch {
            gatheredBroken = true
            throw LedgerError.from(error, path: path)
        }
        gatheredSince = nil
        committedRunId = runId
        return true
    }

    public enum OpenMode: Sendable {
        /// `run`: creates a ledger where no file exists; an existing file must be a ledger.
        case createIfMissing
        /// `status`, `ledger backup`: an existing ledger, opened read-only.
        case readOnly
    }

    /// Opens the ledger at `path` for `mode`, after making sure it is one: a 0-byte file,
    /// a file of another kind or a damaged ledger is an error saying so; nothing is created
    /// over it. `created` says whether a new ledger was made.
    public static func open(_ path: String, mode: OpenMode) throws(LedgerError) -> (ledger: Ledger, created: Bool) {
        var st = stat()
        if stat(path, &st) != 0 {
            guard errno == ENOENT else { throw LedgerError(path: path, detail: String(cString: strerror(errno))) }
            guard mode == .createIfMissing else { throw LedgerError(path: path, detail: "không có tệp", kind: .missing) }
            let folder = (path as NSString).deletingLastPathComponent
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isDir), isDir.boolValue else {
                throw LedgerError(path: path, detail: folder, kind: .noFolder)
            }
            do { return (try Ledger(path: path), true) } catch { throw LedgerError.from(error, path: path) }
        }
        if st.st_mode & S_IFMT == S_IFDIR { throw LedgerError(path: path, detail: "là một thư mục", kind: .notALedger) }
        if st.st_size == 0 { throw LedgerError(path: path, detail: "0 byte", kind: .empty) }
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        var head = [UInt8](repeating: 0, count: 16)
        let n = fd >= 0 ? pread(fd, &head, 16, 0) : -1
        if fd >= 0 { close(fd) }
        guard n >= 0 else { throw LedgerError(path: path, detail: String(cString: strerror(errno))) }
        guard n == 16, head == Array("SQLite format 3\0".utf8) else {
            throw LedgerError(path: path, detail: "không phải tệp SQLite", kind: .notALedger)
        }
        do {
            // Looked at first without changing anything: a file that is not a ledger is left
            // exactly as it was. Read-only when SQLite can (a WAL ledger whose -shm file is gone
            // cannot be read read-only: then opened writable, but without a pragma that writes).
            let probe: Ledger
            do { probe = try Ledger(path: path, readOnly: true, migrate: false) } catch {
                guard LedgerError.from(error, path: path).kind == .failed else { throw error }
                probe = try Ledger(path: path, readOnly: false, migrate: false, pragmas: false)
            }
            try probe.verify()
            if mode == .readOnly { return (probe, false) }
            try probe.db.close()
            let ledger = try Ledger(path: path, readOnly: false, migrate: true)
            return (ledger, false)
        } catch {
            throw LedgerError.from(error, path: path)
        }
    }

    /// The tables a run reads even when nothing changed; checked on every open. The large
    /// ones (values, findings, changes) are checked with the rest before the first write of a
    /// run or a render (`verifyFully`): a full check costs about as much as a run with
    /// nothing new, and a run that neither writes nor renders reads none of them.
    static let everyOpenTables = ["run", "file", "file_name", "submission", "report"]

    private var verifiedFully = false

    /// `PRAGMA quick_check` of the whole database, once per run.
    public func verifyFully() throws(LedgerError) {
        guard !verifiedFully else { return }
        let problems = try read { try String.fetchAll($0, sql: "PRAGMA quick_check") }
        if problems != ["ok"] {
            throw LedgerError(path: path, detail: problems.prefix(3).joined(separator: "; "), kind: .damaged)
        }
        verifiedFully = true
    }

    /// A ledger is a SQLite database holding tonghop's migrations, whose pages pass
    /// `PRAGMA quick_check` (here the tables every run reads).
    func verify() throws {
        try read { db in
            guard try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'grdb_migrations'") == true,
                  try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM grdb_migrations WHERE identifier = 'v1-ledger'") == true else {
                throw LedgerError(path: path, detail: "một cơ sở dữ liệu SQLite khác, không phải sổ cái tonghop", kind: .notALedger)
            }
            var problems: [String] = []
            let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            for t in Ledger.everyOpenTables where tables.contains(t) {
                problems += try String.fetchAll(db, sql: "PRAGMA quick_check(\(t))").filter { $0 != "ok" }
            }
            if !problems.isEmpty {
                throw LedgerError(path: path, detail: problems.prefix(3).joined(separator: "; "), kind: .damaged)
            }
        }
    }

    /// Copies the ledger, consistent as of one moment, with SQLite's online backup: safe
    /// while a run is writing. Written beside `destination`, synced, then renamed into place.
    public func backup(to destination: String) throws(LedgerError) {
        let temp = destination + ".tmp-\(getpid())"
        unlink(temp)
        do {
            // A copy of a damaged ledger is no backup.
            try verifyFully()
            let target = try DatabaseQueue(path: temp)
            try db.backup(to: target)
            try target.close()
            let fd = Foundation.open(temp, O_RDONLY | O_CLOEXEC)
            if fd >= 0 { fsync(fd); close(fd) }
            guard rename(temp, destination) == 0 else {
                throw LedgerError(path: destination, detail: String(cString: strerror(errno)))
            }
        } catch {
            unlink(temp)
            throw LedgerError.from(error, path: destination)
        }
    }

    public convenience init(path: String) throws {
        try self.init(path: path, readOnly: false, migrate: true)
    }

    init(path: String, readOnly: Bool, migrate: Bool, pragmas: Bool = true) throws {
        self.path = path
        var config = Configuration()
        config.readonly = readOnly
        config.prepareDatabase { db in
            // WAL keeps readers off the writer's back; FULL makes a commit survive power loss.
            if !readOnly && pragmas {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        config.busyMode = .timeout(5)
        do {
            db = try DatabaseQueue(path: path, configuration: config)
            if migrate { try Ledger.migrator.migrate(db) }
        } catch {
            throw LedgerError.from(error, path: path)
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-ledger") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                  id INTEGER PRIMARY KEY,
                  started_at TEXT NOT NULL,
                  finished_at TEXT,
                  as_of TEXT NOT NULL,
                  files_new INTEGER NOT NULL DEFAULT 0,
                  names_new INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE file (
                  id INTEGER PRIMARY KEY,
                  sha256 TEXT NOT NULL UNIQUE,
                  size INTEGER NOT NULL,
                  name TEXT NOT NULL,
                  received_on TEXT NOT NULL,
                  first_run INTEGER NOT NULL REFERENCES run(id),
                  format TEXT,
                  status TEXT NOT NULL
                );
                CREATE TABLE file_name (
                  file_id INTEGER NOT NULL REFERENCES file(id),
                  name TEXT NOT NULL,
                  run_id INTEGER NOT NULL REFERENCES run(id),
                  PRIMARY KEY (file_id, name)
                );
                CREATE TABLE submission (
                  id INTEGER PRIMARY KEY,
                  file_id INTEGER NOT NULL REFERENCES file(id),
                  sheet TEXT NOT NULL,
                  unit TEXT,
                  form TEXT NOT NULL,
                  period TEXT,
                  status TEXT NOT NULL,
                  received_on TEXT NOT NULL,
                  version INTEGER,
                  superseded_by INTEGER REFERENCES submission(id)
                );
                CREATE INDEX submission_key ON submission(unit, form, period);
                CREATE TABLE finding (
                  id INTEGER PRIMARY KEY,
                  file_id INTEGER NOT NULL REFERENCES file(id),
                  submission_id INTEGER REFERENCES submission(id),
                  severity TEXT NOT NULL,
                  code TEXT NOT NULL,
                  sheet TEXT,
                  cell TEXT,
                  value TEXT,
                  message_vi TEXT NOT NULL,
                  message_en TEXT NOT NULL
                );
                CREATE INDEX finding_file ON finding(file_id);
                CREATE TABLE value (
                  submission_id INTEGER NOT NULL REFERENCES submission(id),
                  row_key TEXT NOT NULL,
                  row INTEGER NOT NULL,
                  field TEXT NOT NULL,
                  number REAL,
                  text TEXT,
                  PRIMARY KEY (submission_id, row_key, field)
                );
                CREATE TABLE change (
                  submission_id INTEGER NOT NULL REFERENCES submission(id),
                  previous_id INTEGER NOT NULL REFERENCES submission(id),
                  row_key TEXT NOT NULL,
                  field TEXT NOT NULL,
                  old TEXT,
                  new TEXT,
                  PRIMARY KEY (submission_id, previous_id, row_key, field)
                );
                """)
        }
        m.registerMigration("v2-quick-check") { db in
            try db.execute(sql: """
                ALTER TABLE file_name ADD COLUMN size INTEGER;
                ALTER TABLE file_name ADD COLUMN mtime REAL;
                CREATE TABLE report (
                  period TEXT PRIMARY KEY,
                  fingerprint TEXT NOT NULL
                );
                """)
        }
        registerPeriodMigrations(&m)   // Ledger+Periods.swift
        registerLetterMigrations(&m)   // Ledger+Letters.swift
        m.registerMigration("value-one-tree") { db in
            // One B-tree keyed by (submission, row key, field) instead of a table and an
            // index of that key: a value is written once, not twice, and the ledger is half
            // the size. Without the check that each value's submission exists: values are
            // written only by `record`, just after their submission, and a submission is
            // never deleted; the check cost as much as writing the value.
            try db.execute(sql: """
                CREATE TABLE value_new (
                  submission_id INTEGER NOT NULL,
                  row_key TEXT NOT NULL,
                  row INTEGER NOT NULL,
                  field TEXT NOT NULL,
                  number REAL,
                  text TEXT,
                  PRIMARY KEY (submission_id, row_key, field)
                ) WITHOUT ROWID;
                INSERT INTO value_new (submission_id, row_key, row, field, number, text)
                  SELECT submission_id, row_key, row, field, number, text FROM value ORDER BY submission_id, row_key, field;
                DROP TABLE value;
                ALTER TABLE value_new RENAME TO value;
                """)
        }
        return m
    }

    // MARK: - Quick check

    public struct Seen: Sendable {
        public var fileId: Int64
        public var size: Int?
        public var mtime: Double?
    }

    /// Every recorded name with the size and time it had, one entry per file the name has
    /// held (a name re-sent with older bytes has two): one query for the whole inbox.
    /// Read through SQLite's own calls: every run reads them all.
    public func seenNames() throws(LedgerError) -> [String: [Seen]] {
        let sql = "SELECT name, file_id, size, mtime FROM file_name"
        return try read { db in
            let statement = try db.makeStatement(sql: sql)
            // The statement object owns the SQLite statement: kept alive while it is stepped.
            defer { withExtendedLifetime(statement) {} }
            let s = statement.sqliteStatement
            var out: [String: [Seen]] = [:]
            while true {
                let code = sqlite3_step(s)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else { throw Self.failure(s, code, sql: sql) }
                guard let name = sqlite3_column_text(s, 0).map({ String(cString: $0) }) else {
                    throw LedgerError(path: path, detail: "một dòng của bảng file_name thiếu tên tệp", kind: .damaged)
                }
                let size = sqlite3_column_type(s, 2) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, 2))
                let mtime = sqlite3_column_type(s, 3) == SQLITE_NULL ? nil : sqlite3_column_double(s, 3)
                out[name, default: []].append(Seen(fileId: sqlite3_column_int64(s, 1), size: size, mtime: mtime))
            }
            return out
        }
    }

    /// Records how a known name looks now, when it differs (a file touched but not changed).
    public func touch(_ name: String, file: Int64, size: Int, mtime: Double) throws(LedgerError) {
        try write { db in
            _ = try ensureRun(db)
            try db.execute(sql: "UPDATE file_name SET size = ?, mtime = ? WHERE file_id = ? AND name = ?",
                           arguments: [size, mtime, file, name])
        }
    }

    // MARK: - Report fingerprints

    /// What the ledger holds, in a few counters: equal tokens mean equal contents.
    public func stateToken() throws(LedgerError) -> String {
        try read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM file), (SELECT count(*) FROM file_name), (SELECT count(*) FROM submission),
                       (SELECT count(*) FROM change), (SELECT coalesce(max(id), 0) FROM submission),
                       (SELECT count(*) FROM submission WHERE superseded_by IS NOT NULL)
                """)!
            return (0..<6).map { String(row[$0] as Int64) }.joined(separator: ":")
        }
    }

    public func reportFingerprint(period: String) throws(LedgerError) -> String? {
        try read { try String.fetchOne($0, sql: "SELECT fingerprint FROM report WHERE period = ?", arguments: [period]) }
    }

    public func setReportFingerprint(_ fingerprint: String, period: String) throws(LedgerError) {
        guard try reportFingerprint(period: period) != fingerprint else { return }
        try write { db in
            _ = try ensureRun(db)
            try db.execute(sql: "INSERT OR REPLACE INTO report (period, fingerprint) VALUES (?, ?)", arguments: [period, fingerprint])
        }
    }

    // MARK: - Files

    public struct KnownFile: Sendable {
        public var id: Int64
        public var names: Set<String>
    }

    public func knownFile(sha256: String) throws(LedgerError) -> KnownFile? {
        try knownFiles(sha256: [sha256])[sha256]
    }

    /// The recorded files among these hashes, by hash: one question for a few files.
    public func knownFiles(sha256 digests: [String]) throws(LedgerError) -> [String: KnownFile] {
        guard !digests.isEmpty else { return [:] }
        return try read { db in
            var out: [String: KnownFile] = [:]
            let marks = Array(repeating: "?", count: digests.count).joined(separator: ", ")
            let rows = try Row.fetchAll(db, sql: "SELECT sha256, id FROM file WHERE sha256 IN (\(marks))", arguments: StatementArguments(digests))
            for r in rows {
                let id: Int64 = r[1]
                let names = try String.fetchAll(db, sql: "SELECT name FROM file_name WHERE file_id = ?", arguments: [id])
                out[r[0]] = KnownFile(id: id, names: Set(names))
            }
            return out
        }
    }

    /// The run's row, created on the first change the run makes.
    private var runId: Int64?

    private func ensureRun(_ db: Database) throws -> Int64 {
        if let runId { return runId }
        // Nothing is written into a damaged ledger.
        if !verifiedFully {
            let problems = try String.fetchAll(db, sql: "PRAGMA quick_check")
            if problems != ["ok"] {
                throw LedgerError(path: path, detail: problems.prefix(3).joined(separator: "; "), kind: .damaged)
            }
            verifiedFully = true
        }
        guard let stamp else {
            throw LedgerError(path: path, detail: "a change to the ledger outside a run (Ledger.begin was not called)")
        }
        try db.execute(sql: "INSERT INTO run (started_at, as_of) VALUES (?, ?)", arguments: [stamp.startedAt, stamp.asOf.description])
        runId = db.lastInsertedRowID
        return runId!
    }

    /// Records another name of known bytes. The file keeps the earliest received date of its
    /// bytes: a copy that arrived earlier (by the register) moves it back, a later one never
    /// moves it forward.
    public func addName(_ name: String, to file: Int64, size: Int, mtime: Double, receivedOn: Day? = nil) throws(LedgerError) {
        try write { db in
            let run = try ensureRun(db)
            try db.execute(sql: """
                INSERT INTO file_name (file_id, name, run_id, size, mtime) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (file_id, name) DO UPDATE SET size = excluded.size, mtime = excluded.mtime
                """, arguments: [file, name, run, size, mtime])
            try db.execute(sql: "UPDATE run SET names_new = names_new + 1 WHERE id = ?", arguments: [run])
            if let receivedOn {
                try db.execute(sql: "UPDATE file SET received_on = ? WHERE id = ? AND received_on > ?",
                               arguments: [receivedOn.description, file, receivedOn.description])
                try db.execute(sql: "UPDATE submission SET received_on = ? WHERE file_id = ? AND received_on > ?",
                               arguments: [receivedOn.description, file, receivedOn.description])
            }
        }
    }

    /// Records a new file with everything found in it, in one transaction (or in the
    /// gathered one, whole): a run killed at any moment leaves each file either wholly
    /// recorded or not at all. Gives the file's id.
    @discardableResult
    public func record(_ result: FileResult, sha256: String, size: Int, mtime: Double, receivedOn: Day) throws(LedgerError) -> Int64 {
        try write { db in
            let run = try ensureRun(db)
            let received = receivedOn.description
            try db.cachedStatement(sql: """
                INSERT INTO file (sha256, size, name, received_on, first_run, format, status) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [sha256, size, result.file, received, run, result.format?.rawValue, result.status.rawValue])
            let fileId = db.lastInsertedRowID
            try db.cachedStatement(sql: "INSERT INTO file_name (file_id, name, run_id, size, mtime) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [fileId, result.file, run, size, mtime])
            for f in result.findings { try insert(f, file: fileId, submission: nil, db) }
            for s in result.submissions {
                try db.cachedStatement(sql: """
                    INSERT INTO submission (file_id, sheet, unit, form, period, status, received_on) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [fileId, s.sheet, s.unit?.code, s.form.id, s.period?.description, s.status.rawValue, received])
                let sid = db.lastInsertedRowID
                for f in s.findings { try insert(f, file: fileId, submission: sid, db) }
                try insertValues(s.rows, submission: sid, db)
            }
            try db.cachedStatement(sql: "UPDATE run SET files_new = files_new + 1 WHERE id = ?").execute(arguments: [run])
            return fileId
        }
    }

    /// Values go into SQLite this many to an INSERT (the rest of a submission's one at a
    /// time): each execution of a statement has its own cost (reset, cursors, a journal
    /// check) beside the row it writes, and 32 rows share it. Bound through SQLite's own
    /// calls: going through GRDB's arguments cost several times what SQLite spends inserting
    /// (an existential, a `DatabaseValue` and a checked binding for each of six columns of
    /// each of millions of values).
    static let valuesPerInsert = 32

    private static func valueInsertSQL(rows: Int) -> String {
        "INSERT OR REPLACE INTO value (submission_id, row_key, row, field, number, text) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }

    private static let valueInsertOne = valueInsertSQL(rows: 1)
    private static let valueInsertMany = valueInsertSQL(rows: valuesPerInsert)

    /// The bytes of every text bound to the value statements of a submission: bound without
    /// SQLite's own copy (a heap block and a copy for each of millions of texts), they stay
    /// here until the statements have run. Kept for the next submission, grown as needed.
    private var boundBytes = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    deinit { boundBytes.deallocate() }

    /// A submission's values, in the order of its rows: numbers, then texts, then the blank
    /// cells (a row with neither number nor text: no data).
    private func insertValues(_ rows: [RowValues], submission sid: Int64, _ db: Database) throws {
        let count = rows.reduce(0) { $0 + $1.numbers.count + $1.texts.count + $1.missing.count }
        guard count > 0 else { return }
        let keys = rows.map { $0.key.map { ReportingUnit.communeKey($0) } ?? "" }
        var size = 1
        for (row, key) in zip(rows, keys) {
            size += key.utf8.count
            for field in row.numbers.keys { size += field.utf8.count }
            for (field, text) in row.texts { size += field.utf8.count + text.utf8.count }
            for field in row.missing { size += field.utf8.count }
        }
        if boundBytes.count < size {
            boundBytes.deallocate()
            boundBytes = .allocate(byteCount: max(size, 2 * boundBytes.count, 1 << 16), alignment: 1)
        }
        let bytes = boundBytes.baseAddress!
        var used = 0
        /// The text's bytes in `boundBytes`, with their length.
        func place(_ text: String) -> (UnsafePointer<CChar>, Int32) {
            var text = text
            let start = bytes + used
            let length = text.withUTF8 { utf8 in
                precondition(used + utf8.count <= size, "a text longer than counted")
                if let from = utf8.baseAddress { start.copyMemory(from: from, byteCount: utf8.count) }
                return utf8.count
            }
            used += length
            return (UnsafePointer(start.assumingMemoryBound(to: CChar.self)), Int32(length))
        }

        let perInsert = Self.valuesPerInsert
        // The first `inMany` values go through the statement of many rows, the rest one by one.
        let inMany = count / perInsert * perInsert
        let many = inMany > 0 ? try db.cachedStatement(sql: Self.valueInsertMany) : nil
        let one = inMany < count ? try db.cachedStatement(sql: Self.valueInsertOne) : nil
        let statements = [many, one].compactMap { $0 }
        // No statement is left holding the bytes once they are reused.
        defer { for statement in statements { sqlite3_clear_bindings(statement.sqliteStatement) } }
        for statement in statements {
            let code = sqlite3_reset(statement.sqliteStatement)
            guard code == SQLITE_OK else { throw Self.failure(statement.sqliteStatement, code, sql: statement.sql) }
        }
        var done = 0
        func insert(_ key: (UnsafePointer<CChar>, Int32), _ row: Int64, _ field: String, number: Double?, text: String?) throws {
            let statement = done < inMany ? many! : one!
            let s = statement.sqliteStatement
            func check(_ code: Int32) throws {
                guard code != SQLITE_OK && code != SQLITE_DONE else { return }
                throw Self.failure(s, code, sql: statement.sql)
            }
            let first = done < inMany ? Int32(done % perInsert) * 6 : 0
            let f = place(field)
            try check(sqlite3_bind_int64(s, first + 1, sid))
            try check(sqlite3_bind_text(s, first + 2, key.0, key.1, nil))
            try check(sqlite3_bind_int64(s, first + 3, row))
            try check(sqlite3_bind_text(s, first + 4, f.0, f.1, nil))
            try check(number.map { sqlite3_bind_double(s, first + 5, $0) } ?? sqlite3_bind_null(s, first + 5))
            if let text {
                let t = place(text)
                try check(sqlite3_bind_text(s, first + 6, t.0, t.1, nil))
            } else {
                try check(sqlite3_bind_null(s, first + 6))
            }
            done += 1
            if done > inMany || done % perInsert == 0 {
                try check(sqlite3_step(s))
                try check(sqlite3_reset(s))
            }
        }
        for (row, key) in zip(rows, keys) {
            let k = place(key)
            let sheetRow = Int64(row.row)
            for (field, n) in row.numbers { try insert(k, sheetRow, field, number: n, text: nil) }
            for (field, t) in row.texts { try insert(k, sheetRow, field, number: nil, text: t) }
            for field in row.missing { try insert(k, sheetRow, field, number: nil, text: nil) }
        }
    }

    /// What SQLite said of a statement stepped or bound through its own calls, as GRDB says
    /// it; the statement is reset for its next use.
    private static func failure(_ s: OpaquePointer, _ code: Int32, sql: String) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(s)))
        sqlite3_reset(s)
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
    }

    private func insert(_ f: Finding, file: Int64, submission: Int64?, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO finding (file_id, submission_id, severity, code, sheet, cell, value, message_vi, message_en)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [file, submission, f.severity.rawValue, f.code.rawValue, f.sheet, f.cell, f.value, f.vi, f.en])
    }

    public func finishRun(finishedAt: String) throws(LedgerError) {
        guard let runId else { return }
        try write { db in
            try db.execute(sql: "UPDATE run SET finished_at = ? WHERE id = ?", arguments: [finishedAt, runId])
        }
    }

    public var madeChanges: Bool { runId != nil }

    // MARK: - Reading back

    public struct StoredSubmission: Sendable, Equatable {
        public var id: Int64
        public var fileId: Int64
        public var file: String
        public var sheet: String
        public var unit: String?
        public var form: String
        public var period: String?
        public var status: SubmissionResult.Status
        public var receivedOn: Day
        public var version: Int?
        public var supersededBy: Int64?
        /// The file's status.
        public var fileStatus: FileResult.Status = .rejected
    }

    /// A status as stored (its raw value); one the program never writes is damage.
    private func stored<S: RawRepresentable>(_ raw: String, _ table: String) throws -> S where S.RawValue == String {
        guard let status = S(rawValue: raw) else {
            throw LedgerError(path: path, detail: "trạng thái lạ \"\(raw)\" trong bảng \(table)", kind: .damaged)
        }
        return status
    }

    private static let submissionsSQL = """
        SELECT s.id, s.file_id, f.name, s.sheet, s.unit, s.form, s.period, s.status, s.received_on, s.version, s.superseded_by,
               f.status
        FROM submission s JOIN file f ON f.id = s.file_id ORDER BY s.id
        """

    /// Every submission, read through SQLite's own calls: every run reads them all (tens of
    /// thousands nationally), and GRDB's generic row decoding cost most of a rerun with
    /// nothing new.
    public func submissions() throws(LedgerError) -> [StoredSubmission] {
        try read { db in
            let statement = try db.makeStatement(sql: Self.submissionsSQL)
            // The statement object owns the SQLite statement: kept alive while it is stepped.
            defer { withExtendedLifetime(statement) {} }
            let s = statement.sqliteStatement
            func text(_ i: Int32) -> String? {
                sqlite3_column_type(s, i) == SQLITE_NULL ? nil : sqlite3_column_text(s, i).map { String(cString: $0) }
            }
            func integer(_ i: Int32) -> Int64? { sqlite3_column_type(s, i) == SQLITE_NULL ? nil : sqlite3_column_int64(s, i) }
            var out: [StoredSubmission] = []
            while true {
                let code = sqlite3_step(s)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else { throw Self.failure(s, code, sql: Self.submissionsSQL) }
                guard let id = integer(0), let fileId = integer(1), let file = text(2), let sheet = text(3), let form = text(5),
                      let status = text(7), let received = text(8), let fileStatus = text(11) else {
                    throw LedgerError(path: path, detail: "một dòng của bảng submission thiếu cột bắt buộc", kind: .damaged)
                }
                out.append(StoredSubmission(id: id, fileId: fileId, file: file, sheet: sheet, unit: text(4), form: form, period: text(6),
                                            status: try stored(status, "submission"),
                                            receivedOn: Day(received) ?? Day(year: 1970, month: 1, day: 1)!,
                                            version: integer(9).map { Int($0) }, supersededBy: integer(10),
                                            fileStatus: try stored(fileStatus, "file")))
            }
            return out
        }
    }

    public struct StoredFile: Sendable, Equatable {
        public var id: Int64
        public var name: String
        public var names: [String]
        public var receivedOn: Day
        public var status: FileResult.Status
        /// The SHA-256 of the bytes that were checked.
        public var sha256: String = ""
    }

    public func files() throws(LedgerError) -> [StoredFile] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT f.id, f.name, f.received_on, f.status, group_concat(n.name, char(10)), f.sha256
                FROM file f JOIN file_name n ON n.file_id = f.id GROUP BY f.id ORDER BY f.name
                """).map { r in
                let names = ((r[4] as String?) ?? "").split(separator: "\n").map(String.init).sorted()
                return StoredFile(id: r[0], name: r[1], names: names, receivedOn: Day(r[2] as String) ?? Day(year: 1970, month: 1, day: 1)!,
                                  status: try stored(r[3], "file"), sha256: r[5])
            }
        }
    }

    public func fileCount() throws(LedgerError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM file") ?? 0 }
    }

    private static let findingColumns = """
        SELECT fi.file_id, fi.severity, fi.code, f.name, fi.sheet, fi.cell, fi.value, fi.message_vi, fi.message_en
        FROM finding fi JOIN file f ON f.id = fi.file_id
        """

    private static func finding(_ r: Row) -> Finding {
        Finding(Severity(rawValue: r[1]) ?? .error, Finding.Code(rawValue: r[2]) ?? .unreadableFile, file: r[3],
                sheet: r[4], cell: r[5], value: r[6], vi: r[7], en: r[8])
    }

    public func findings(file: Int64) throws(LedgerError) -> [Finding] {
        try read { db in
            try Row.fetchAll(db, sql: Self.findingColumns + " WHERE fi.file_id = ? ORDER BY fi.id", arguments: [file]).map(Self.finding)
        }
    }

    /// Every file's findings, in one query (the reports list them all).
    public func findingsByFile() throws(LedgerError) -> [Int64: [Finding]] {
        try read { db in
            var out: [Int64: [Finding]] = [:]
            for r in try Row.fetchAll(db, sql: Self.findingColumns + " ORDER BY fi.id") {
                out[r[0], default: []].append(Self.finding(r))
            }
            return out
        }
    }

    /// Every value of a submission: row key → field → number.
    public func values(submission: Int64) throws(LedgerError) -> [String: [String: Double]] {
        try read { db in
            var out: [String: [String: Double]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT row_key, field, number FROM value WHERE submission_id = ? AND number IS NOT NULL",
                                      arguments: [submission]) {
                out[r[0], default: [:]][r[1]] = r[2]
            }
            return out
        }
    }

    /// Every value of the given submissions, in one read: submission → row key → field → number.
    public func values(submissions ids: [Int64]) throws(LedgerError) -> [Int64: [String: [String: Double]]] {
        try read { db in
            var out: [Int64: [String: [String: Double]]] = [:]
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let cursor = try Row.fetchCursor(db, sql: """
                    SELECT submission_id, row_key, field, number FROM value
                    WHERE submission_id IN (\(marks)) AND number IS NOT NULL
                    """, arguments: StatementArguments(chunk))
                while let r = try cursor.next() { out[r[0], default: [:]][r[1], default: [:]][r[2]] = r[3] }
            }
            return out
        }
    }

    /// The sheet row of each row key of the given submissions (where a change sits).
    public func rowNumbers(submissions ids: [Int64]) throws(LedgerError) -> [Int64: [String: Int]] {
        try read { db in
            var out: [Int64: [String: Int]] = [:]
            for id in ids {
                for r in try Row.fetchAll(db, sql: "SELECT row_key, min(row) FROM value WHERE submission_id = ? GROUP BY row_key", arguments: [id]) {
                    out[id, default: [:]][r[0]] = r[1]
                }
            }
            return out
        }
    }

    public struct StoredChange: Sendable, Equatable {
        public var submission: Int64
        public var previous: Int64
        public var rowKey: String
        public var field: String
        public var old: String?
        public var new: String?
    }

    public func changes() throws(LedgerError) -> [StoredChange] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT submission_id, previous_id, row_key, field, old, new FROM change ORDER BY submission_id, row_key, field")
                .map { StoredChange(submission: $0[0], previous: $0[1], rowKey: $0[2], field: $0[3], old: $0[4], new: $0[5]) }
        }
    }

    public func runCount() throws(LedgerError) -> Int {
        try read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run") ?? 0 }
    }

    // MARK: - Re-submissions

    /// Orders the submissions of each (unit, form, period): versions by received date, and
    /// each accepted one superseded by the next accepted one, with what changed. Derived
    /// from the rows alone, so a run killed before this step is repaired by the next; it
    /// writes only what differs, so a run with nothing new writes nothing.
    /// `submissions`, when given, are the ledger's as just read (saves reading them twice).
    /// Says whether anything was changed.
    @discardableResult
    public func resolveVersions(_ submissions: [StoredSubmission]? = nil) throws(LedgerError) -> Bool {
        let all: [StoredSubmission]
        if let submissions { all = submissions } else { all = try self.submissions() }
        let groups = Dictionary(grouping: all.compactMap { s in ReportKey(s).map { ($0, s) } }, by: \.0)
            .mapValues { $0.map(\.1) }
        var versionUpdates: [(Int64, Int)] = []
        var supersedeUpdates: [(Int64, Int64?)] = []
        var pairs: [(Int64, Int64)] = []
        for (_, group) in groups {
            let ordered = group.sorted { ($0.receivedOn, $0.id) < ($1.receivedOn, $1.id) }
            for (i, s) in ordered.enumerated() where s.version != i + 1 { versionUpdates.append((s.id, i + 1)) }
            let accepted = ordered.filter { $0.status == .accepted }
            for (i, s) in accepted.enumerated() {
                let next = i + 1 < accepted.count ? accepted[i + 1].id : nil
                if s.supersededBy != next { supersedeUpdates.append((s.id, next)) }
                if let next { pairs.append((next, s.id)) }
            }
        }
        struct Pair: Hashable { var new: Int64, old: Int64 }
        let known = try read { db in
            Set(try Row.fetchAll(db, sql: "SELECT DISTINCT submission_id, previous_id FROM change").map { Pair(new: $0[0], old: $0[1]) })
        }
        let newPairs = pairs.filter { !known.contains(Pair(new: $0.0, old: $0.1)) }
        guard !versionUpdates.isEmpty || !supersedeUpdates.isEmpty || !newPairs.isEmpty else { return false }
        try write { db in
            _ = try ensureRun(db)
            // Every submission's version is set once, on the run that records it: tens of
            // thousands nationally, each statement prepared once.
            let setVersion = try db.cachedStatement(sql: "UPDATE submission SET version = ? WHERE id = ?")
            for (id, v) in versionUpdates { try setVersion.execute(arguments: [v, id]) }
            let setSuperseded = try db.cachedStatement(sql: "UPDATE submission SET superseded_by = ? WHERE id = ?")
            for (id, by) in supersedeUpdates { try setSuperseded.execute(arguments: [by, id]) }
            for (new, old) in newPairs {
                // Every field that differs, appeared or disappeared between the two versions.
                try db.execute(sql: """
                    INSERT OR IGNORE INTO change (submission_id, previous_id, row_key, field, old, new)
                    SELECT ?, ?, k.row_key, k.field,
                           (SELECT coalesce(CAST(number AS TEXT), text) FROM value WHERE submission_id = ? AND row_key = k.row_key AND field = k.field),
                           (SELECT coalesce(CAST(number AS TEXT), text) FROM value WHERE submission_id = ? AND row_key = k.row_key AND field = k.field)
                    FROM (SELECT row_key, field FROM value WHERE submission_id IN (?, ?) GROUP BY row_key, field) k
                    WHERE (SELECT coalesce(CAST(number AS TEXT), text) FROM value WHERE submission_id = ? AND row_key = k.row_key AND field = k.field)
                          IS NOT (SELECT coalesce(CAST(number AS TEXT), text) FROM value WHERE submission_id = ? AND row_key = k.row_key AND field = k.field)
                    """, arguments: [new, old, old, new, new, old, old, new])
            }
        }
        return true
    }
}

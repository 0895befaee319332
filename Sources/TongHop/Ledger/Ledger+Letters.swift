// Ledger: the numbers of the công văn the program writes. A letter is known by its key (the
// year, the report period and the recipient); its number is given once, the next of the
// year's counter, and kept: a rerun prints the same number, and a number is never given to
// another letter. Its table is one of the ledger's own migrations (`Ledger.migrator`).
import Foundation
import GRDB

extension Ledger {
    static func registerLetterMigrations(_ m: inout DatabaseMigrator) {
        m.registerMigration("letters-v1") { db in
            try db.execute(sql: """
                CREATE TABLE letter (
                  key TEXT PRIMARY KEY,
                  year INTEGER NOT NULL,
                  number INTEGER NOT NULL,
                  first_as_of TEXT NOT NULL,
                  UNIQUE (year, number)
                );
                """)
        }
    }

    /// The number of each letter, in the order given: the one already recorded for its key,
    /// else the next of the year's counter. One transaction for all.
    public func letterNumbers(year: Int, keys: [String], asOf: Day) throws(LedgerError) -> [String: Int] {
        try write { db in
            var out: [String: Int] = [:]
            for key in keys {
                if let n = try Int.fetchOne(db, sql: "SELECT number FROM letter WHERE key = ?", arguments: [key]) {
                    out[key] = n
                    continue
                }
                let next = (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM letter WHERE year = ?", arguments: [year]) ?? 0) + 1
                try db.execute(sql: "INSERT INTO letter (key, year, number, first_as_of) VALUES (?, ?, ?, ?)",
                               arguments: [key, year, next, asOf.description])
                out[key] = next
            }
            return out
        }
    }
}

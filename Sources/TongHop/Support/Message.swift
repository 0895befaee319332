// Support: one thing said to a clerk, in both languages, with how to fix it when there is a
// way. Messages are defined beside the check or command that says them (a `static func` or
// `static let` on the type that owns them), never as `vi ? … : …` at the place of printing.
import Foundation

public struct Message: Sendable, Hashable, Codable {
    public var vi: String
    public var en: String
    /// How to fix it, when the message is a problem with a fix.
    public var hint: Hint?

    /// What to do about a message, in both languages.
    public struct Hint: Sendable, Hashable, Codable {
        public var vi: String
        public var en: String

        public init(vi: String, en: String) {
            self.vi = vi
            self.en = en
        }

        public func text(_ language: Language) -> String { language == .vi ? vi : en }
    }

    public init(vi: String, en: String, hint: Hint? = nil) {
        self.vi = vi
        self.en = en
        self.hint = hint
    }

    /// The message alone, in one language.
    public func text(_ language: Language) -> String { language == .vi ? vi : en }

    /// The message followed by its hint, as a clerk reads it (the ledger stores this too).
    public func withHint(_ language: Language, separator: String = " ") -> String {
        guard let hint else { return text(language) }
        return text(language) + separator + hint.text(language)
    }

    /// A sentence worded elsewhere with its fix at the end ("… Cách sửa: …", "… To fix: …"),
    /// taken apart; the words as they are when either language has no fix.
    public static func splittingHint(vi: String, en: String) -> Message {
        guard let v = vi.range(of: " Cách sửa: "), let e = en.range(of: " To fix: ") else { return Message(vi: vi, en: en) }
        return Message(vi: String(vi[..<v.lowerBound]), en: String(en[..<e.lowerBound]),
                       hint: Hint(vi: String(vi[vi.index(after: v.lowerBound)...]), en: String(en[en.index(after: e.lowerBound)...])))
    }

    /// The same words in both languages (a name, a number, a path).
    public static func same(_ text: String) -> Message { Message(vi: text, en: text) }
}

extension String {
    /// The first letter in capitals, as a sentence (or a status line) starts: "Đã nhận, …".
    public var uppercasedFirst: String { prefix(1).uppercased() + dropFirst() }
}

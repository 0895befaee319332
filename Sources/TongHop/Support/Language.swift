// Support: the language a clerk reads messages in. Every message has a Vietnamese and an
// English wording (`Message`); Vietnamese is the default everywhere.
import Foundation

public enum Language: String, Sendable, CaseIterable {
    case vi, en
}

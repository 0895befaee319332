// The executable: parses arguments, calls the engine, prints, and maps failures to exit codes.
import ArgumentParser
import Foundation
import Sheets
import TongHop

@main
struct TongHopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tonghop",
        abstract: "Tổng hợp báo cáo của các Hội LHPN huyện (batch report generator).",
        version: "0.1.0",
        subcommands: [Run.self, Close.self, Check.self, Status.self, Template.self, Inspect.self, PlanCommand.self, Sample.self, Worker.self]
    )
}

/// The one place that turns failures into exit codes: 0 all well, 1 findings need a human,
/// 2 operational error, 64 usage (argument parser's own).
enum Exit {
    static let findings: Int32 = 1
    static let operational: Int32 = 2

    /// Prints a message for the clerk on standard error and ends the command with `code`.
    static func fail(_ message: String, code: Int32 = operational) -> ExitCode {
        Output.standardError("tonghop: " + message + "\n")
        return ExitCode(code)
    }
}

/// Buffered standard output; a closed pipe (`tonghop inspect --csv … | head`) ends the
/// command quietly instead of being an error.
enum Output {
    nonisolated(unsafe) private static var buffer: [UInt8] = []

    static func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    static func flush() {
        guard !buffer.isEmpty else { return }
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { p in
                Foundation.write(STDOUT_FILENO, p.baseAddress! + offset, p.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                // EPIPE: the reader went away; nothing more to say to it.
                exit(0)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    static func standardError(_ s: String) {
        flush()
        FileHandle.standardError.write(Data(s.utf8))
    }
}

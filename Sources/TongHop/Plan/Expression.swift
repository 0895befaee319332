// Plan: the small language of rules and targets. Parsed once when the plan loads, evaluated
// for every row or district. Arithmetic, comparisons, and/or/not, sum/min/max/abs/round,
// and names (`overdue`, `capital_annual.overdue`, `baseline.overdue`). Nothing else: no
// loops, no strings, no access to anything but the values handed in.
import Foundation

public struct ExpressionError: Error, Equatable, Sendable {
    /// 1-based column in the expression text.
    public var column: Int
    public var vi: String
    public var en: String
}

public indirect enum Expression: Sendable, Equatable {
    case number(Double)
    case name(String, column: Int)
    case negate(Expression)
    case not(Expression)
    case binary(BinaryOperator, Expression, Expression)
    /// `sum(x)`: x summed over the rows of a submission (or of a district's communes).
    case sum(String, column: Int)
    case call(Function, [Expression])

    public enum BinaryOperator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
        case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
        case and, or
    }

    public enum Function: String, Sendable, CaseIterable {
        case abs, min, max, round
    }

    /// Every name the expression reads, with its column (for checking against a scope).
    public var names: [(String, Int)] {
        switch self {
        case .number: return []
        case .name(let n, let c), .sum(let n, let c): return [(n, c)]
        case .negate(let e), .not(let e): return e.names
        case .binary(_, let a, let b): return a.names + b.names
        case .call(_, let args): return args.flatMap(\.names)
        }
    }
}

/// The result of evaluating: a number, a truth value, or "not known" when a value it needs
/// is missing. Missing data is never taken as zero.
public enum ExpressionValue: Equatable, Sendable {
    case number(Double)
    case bool(Bool)
    case missing

    public var number: Double? {
        if case .number(let d) = self { return d }
        return nil
    }
}

extension Expression {
    /// Evaluates with `value` giving a name's value and `sum` a name summed over rows.
    public func evaluate(_ value: (String) -> Double?, sum: (String) -> Double? = { _ in nil }) -> ExpressionValue {
        switch self {
        case .number(let d): return .number(d)
        case .name(let n, _): return value(n).map(ExpressionValue.number) ?? .missing
        case .sum(let n, _): return sum(n).map(ExpressionValue.number) ?? .missing
        case .negate(let e):
            guard case .number(let d) = e.evaluate(value, sum: sum) else { return .missing }
            return .number(-d)
        case .not(let e):
            guard case .bool(let b) = e.evaluate(value, sum: sum) else { return .missing }
            return .bool(!b)
        case .call(let f, let args):
            let vs = args.map { $0.evaluate(value, sum: sum).number }
            if vs.contains(where: { $0 == nil }) { return .missing }
            let d = vs.map { $0! }
            switch f {
            case .abs: return .number(Swift.abs(d[0]))
            case .min: return .number(d.min()!)
            case .max: return .number(d.max()!)
            case .round:
                let scale = d.count > 1 ? pow(10, d[1]) : 1
                return .number((d[0] * scale).rounded() / scale)
            }
        case .binary(let op, let a, let b):
            let l = a.evaluate(value, sum: sum), r = b.evaluate(value, sum: sum)
            switch op {
            case .and, .or:
                // Three-valued: false and missing is false; true or missing is true.
                let lb: Bool? = { if case .bool(let x) = l { return x }; return nil }()
                let rb: Bool? = { if case .bool(let x) = r { return x }; return nil }()
                if op == .and {
                    if lb == false || rb == false { return .bool(false) }
                    if let lb, let rb { return .bool(lb && rb) }
                } else {
                    if lb == true || rb == true { return .bool(true) }
                    if let lb, let rb { return .bool(lb || rb) }
                }
                return .missing
            default: break
            }
            guard case .number(let x) = l, case .number(let y) = r else { return .missing }
            // Comparisons allow for the last bits of binary noise: 0.1 + 0.2 == 0.3.
            let tolerance = 1e-9 * Swift.max(1, Swift.abs(x), Swift.abs(y))
            switch op {
            case .add: return .number(x + y)
            case .subtract: return .number(x - y)
            case .multiply: return .number(x * y)
            case .divide: return y == 0 ? .missing : .number(x / y)
            case .equal: return .bool(Swift.abs(x - y) <= tolerance)
            case .notEqual: return .bool(Swift.abs(x - y) > tolerance)
            case .less: return .bool(x < y - tolerance)
            case .lessEqual: return .bool(x <= y + tolerance)
            case .greater: return .bool(x > y + tolerance)
            case .greaterEqual: return .bool(x >= y - tolerance)
            case .and, .or: return .missing
            }
        }
    }

    /// Parses an expression; the error points at the column where it went wrong.
    public static func parse(_ text: String) throws(ExpressionError) -> Expression {
        var p = ExpressionParser(text)
        return try p.parseAll()
    }
}

private struct ExpressionParser {
    enum Token: Equatable {
        case number(Double), name(String), op(String), lparen, rparen, comma, end
    }

    let scalars: [Unicode.Scalar]
    var pos = 0
    /// Parentheses, calls and unary operators open a level each; past this many the text is
    /// refused rather than risk the stack.
    var depth = 0
    static let maxDepth = 64
    var token: Token = .end
    var tokenColumn = 1

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    func error(_ vi: String, _ en: String, at column: Int? = nil) -> ExpressionError {
        ExpressionError(column: column ?? tokenColumn, vi: vi, en: en)
    }

    mutating func next() throws(ExpressionError) {
        while pos < scalars.count, scalars[pos] == " " || scalars[pos] == "\t" { pos += 1 }
        tokenColumn = pos + 1
        guard pos < scalars.count else { token = .end; return }
        let c = scalars[pos]
        if ("0"..."9").contains(c) || (c == "." && pos + 1 < scalars.count && ("0"..."9").contains(scalars[pos + 1])) {
            var s = ""
            while pos < scalars.count, ("0"..."9").contains(scalars[pos]) || scalars[pos] == "." {
                s.unicodeScalars.append(scalars[pos]); pos += 1
            }
            guard let d = Double(s) else { throw error("số \"\(s)\" không hợp lệ", "invalid number \"\(s)\"") }
            token = .number(d)
            return
        }
        if c.properties.isAlphabetic || c == "_" {
            var s = ""
            while pos < scalars.count, scalars[pos].properties.isAlphabetic || ("0"..."9").contains(scalars[pos])
                    || scalars[pos] == "_" || scalars[pos] == "." {
                s.unicodeScalars.append(scalars[pos]); pos += 1
            }
            switch s {
            case "and", "or", "not": token = .op(s)
            default: token = .name(s)
            }
            return
        }
        pos += 1
        switch c {
        case "(": token = .lparen
        case ")": token = .rparen
        case ",": token = .comma
        case "+", "-", "*", "/": token = .op(String(c))
        case "=", "!", "<", ">":
            if pos < scalars.count, scalars[pos] == "=" {
                pos += 1
                token = .op(String(c) + "=")
            } else if c == "=" {
                token = .op("==")  // a single = reads as equality, as in a spreadsheet formula
            } else if c == "!" {
                throw error("dấu \"!\" phải đi với \"=\" (khác: !=)", "\"!\" must be followed by \"=\" (!=)")
            } else {
                token = .op(String(c))
            }
        default:
            throw error("ký tự \"\(c)\" không dùng được trong biểu thức", "character \"\(c)\" is not allowed in an expression")
        }
    }

    mutating func parseAll() throws(ExpressionError) -> Expression {
        try next()
        if token == .end { throw error("biểu thức trống", "empty expression") }
        let e = try parseOr()
        guard token == .end else { throw error("thừa phần sau biểu thức", "unexpected text after the expression") }
        return e
    }

    mutating func parseOr() throws(ExpressionError) -> Expression {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth {
            throw error("biểu thức lồng nhau quá sâu (quá \(Self.maxDepth) cấp)", "the expression nests too deeply (over \(Self.maxDepth) levels)")
        }
        var e = try parseAnd()
        while token == .op("or") { try next(); e = .binary(.or, e, try parseAnd()) }
        return e
    }

    mutating func parseAnd() throws(ExpressionError) -> Expression {
        var e = try parseNot()
        while token == .op("and") { try next(); e = .binary(.and, e, try parseNot()) }
        return e
    }

    mutating func parseNot() throws(ExpressionError) -> Expression {
        if token == .op("not") {
            try next()
            depth += 1
            defer { depth -= 1 }
            if depth > Self.maxDepth { throw error("biểu thức lồng nhau quá sâu", "the expression nests too deeply") }
            return .not(try parseNot())
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws(ExpressionError) -> Expression {
        let e = try parseAdditive()
        if case .op(let o) = token, let op = Expression.BinaryOperator(rawValue: o),
           [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual].contains(op) {
            try next()
            return .binary(op, e, try parseAdditive())
        }
        return e
    }

    mutating func parseAdditive() throws(ExpressionError) -> Expression {
        var e = try parseMultiplicative()
        while case .op(let o) = token, o == "+" || o == "-" {
            try next()
            e = .binary(o == "+" ? .add : .subtract, e, try parseMultiplicative())
        }
        return e
    }

    mutating func parseMultiplicative() throws(ExpressionError) -> Expression {
        var e = try parseUnary()
        while case .op(let o) = token, o == "*" || o == "/" {
            try next()
            e = .binary(o == "*" ? .multiply : .divide, e, try parseUnary())
        }
        return e
    }

    mutating func parseUnary() throws(ExpressionError) -> Expression {
        if token == .op("-") || token == .op("+") {
            let negate = token == .op("-")
            try next()
            depth += 1
            defer { depth -= 1 }
            if depth > Self.maxDepth { throw error("biểu thức lồng nhau quá sâu", "the expression nests too deeply") }
            let e = try parseUnary()
            return negate ? .negate(e) : e
        }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws(ExpressionError) -> Expression {
        let column = tokenColumn
        switch token {
        case .number(let d):
            try next()
            return .number(d)
        case .lparen:
            try next()
            let e = try parseOr()
            guard token == .rparen else { throw error("thiếu dấu đóng ngoặc \")\"", "missing \")\"") }
            try next()
            return e
        case .name(let n):
            try next()
            guard token == .lparen else { return .name(n, column: column) }
            try next()
            var args: [Expression] = []
            if token != .rparen {
                args.append(try parseOr())
                while token == .comma { try next(); args.append(try parseOr()) }
            }
            guard token == .rparen else { throw error("thiếu dấu đóng ngoặc \")\" sau các đối số của \(n)", "missing \")\" after the arguments of \(n)") }
            try next()
            if n == "sum" {
                guard args.count == 1, case .name(let field, let c) = args[0] else {
                    throw error("sum() nhận đúng một tên trường, ví dụ sum(du_no)", "sum() takes exactly one field name, e.g. sum(outstanding)", at: column)
                }
                return .sum(field, column: c)
            }
            guard let f = Expression.Function(rawValue: n) else {
                let known = (["sum"] + Expression.Function.allCases.map(\.rawValue)).joined(separator: ", ")
                throw error("không có hàm \"\(n)\" (các hàm: \(known))", "no function \"\(n)\" (functions: \(known))", at: column)
            }
            let arity: ClosedRange<Int> = f == .abs ? 1...1 : f == .round ? 1...2 : 2...20
            guard arity.contains(args.count) else {
                throw error("hàm \(n) nhận \(arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound)–\(arity.upperBound)") đối số", "function \(n) takes \(arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound)–\(arity.upperBound)") arguments", at: column)
            }
            return .call(f, args)
        case .end:
            throw error("biểu thức dừng giữa chừng", "the expression ends too early")
        default:
            throw error("cần một số, một tên trường hoặc \"(\" ở đây", "expected a number, a field name or \"(\" here")
        }
    }
}

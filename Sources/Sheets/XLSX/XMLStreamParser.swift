// A streaming XML reader on libxml2's SAX2 push parser, locked down for untrusted parts:
// no DTD, no entity substitution, no network; a part that declares a DOCTYPE is refused.
import CLibXML2
import Foundation

/// An element name as libxml2 hands it over: local name and namespace URI, compared as bytes.
struct XMLName {
    let local: UnsafePointer<UInt8>
    let uri: UnsafePointer<UInt8>?

    /// Compared byte by byte in line: the names are short constants, and a call to strcmp
    /// for every event costs more than the comparison.
    @inline(__always)
    func `is`(_ name: StaticString) -> Bool {
        let want = name.utf8Start
        let n = name.utf8CodeUnitCount
        for i in 0..<n where local[i] != want[i] { return false }
        return local[n] == 0
    }

    @inline(__always)
    func `is`(_ name: StaticString, in namespace: Namespace) -> Bool {
        self.is(name) && namespace.matches(uri)
    }

    var localName: String { String(cString: local) }
}

/// The namespaces a workbook uses, each in its transitional and Strict OOXML spelling.
enum Namespace {
    case spreadsheet, relationships, package

    private var uris: [StaticString] {
        switch self {
        case .spreadsheet:
            return ["http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                    "http://purl.oclc.org/ooxml/spreadsheetml/main"]
        case .relationships:
            return ["http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                    "http://purl.oclc.org/ooxml/officeDocument/relationships"]
        case .package:
            return ["http://schemas.openxmlformats.org/package/2006/relationships"]
        }
    }

    @inline(__always)
    func matches(_ uri: UnsafePointer<UInt8>?) -> Bool {
        guard let uri else { return false }
        let p = UnsafeRawPointer(uri).assumingMemoryBound(to: CChar.self)
        for u in uris where strcmp(p, UnsafeRawPointer(u.utf8Start).assumingMemoryBound(to: CChar.self)) == 0 {
            return true
        }
        return false
    }
}

/// The attributes of one element: libxml2's array of five pointers per attribute
/// (local name, prefix, URI, value start, value end). Values are not NUL-terminated.
struct XMLAttributes {
    let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    let count: Int

    /// The raw bytes of an attribute by local name; `namespace` nil means an unqualified one.
    @inline(__always)
    func bytes(_ local: StaticString, namespace: Namespace? = nil) -> UnsafeBufferPointer<UInt8>? {
        guard let base else { return nil }
        let want = UnsafeRawPointer(local.utf8Start).assumingMemoryBound(to: CChar.self)
        for i in 0..<count {
            let a = base + i * 5
            guard let name = a[0],
                  strcmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), want) == 0 else { continue }
            if let namespace {
                guard namespace.matches(a[2]) else { continue }
            } else if a[2] != nil {
                continue
            }
            guard let start = a[3], let end = a[4] else { return nil }
            return UnsafeBufferPointer(start: start, count: end - start)
        }
        return nil
    }

    /// An attribute's text. libxml2, asked not to substitute entities, hands `&` back as
    /// `&#38;` (and may leave other references as written): the references are decoded here,
    /// once, so that a sheet named `5&4` is `5&4`. Entity substitution stays off in the parser.
    func string(_ local: StaticString, namespace: Namespace? = nil) -> String? {
        bytes(local, namespace: namespace).map(XMLAttributes.decodeReferences)
    }

    /// Decodes the five predefined entities and character references (`&#38;`, `&#x110;`) in one
    /// pass; anything else after `&` is kept as written.
    static func decodeReferences(_ p: UnsafeBufferPointer<UInt8>) -> String {
        guard p.contains(UInt8(ascii: "&")) else { return String(decoding: p, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(p.count)
        var i = 0
        while i < p.count {
            let b = p[i]
            guard b == UInt8(ascii: "&"), let semi = p[(i + 1)..<min(p.count, i + 12)].firstIndex(of: UInt8(ascii: ";")) else {
                out.append(b); i += 1; continue
            }
            let name = p[(i + 1)..<semi]
            var scalar: UInt32?
            if name.first == UInt8(ascii: "#") {
                var digits = name.dropFirst()
                var radix: UInt32 = 10
                if digits.first == UInt8(ascii: "x") || digits.first == UInt8(ascii: "X") { radix = 16; digits = digits.dropFirst() }
                if !digits.isEmpty, digits.count <= 8 {
                    var v: UInt32 = 0
                    var ok = true
                    for d in digits {
                        let n: UInt32
                        switch d {
                        case 0x30...0x39: n = UInt32(d - 0x30)
                        case 0x41...0x46 where radix == 16: n = UInt32(d - 0x41 + 10)
                        case 0x61...0x66 where radix == 16: n = UInt32(d - 0x61 + 10)
                        default: ok = false; n = 0
                        }
                        if !ok { break }
                        v = v * radix + n
                        if v > 0x10FFFF { ok = false; break }
                    }
                    if ok { scalar = v }
                }
            } else {
                switch String(decoding: name, as: UTF8.self) {
                case "amp": scalar = 0x26
                case "lt": scalar = 0x3C
                case "gt": scalar = 0x3E
                case "quot": scalar = 0x22
                case "apos": scalar = 0x27
                default: break
                }
            }
            if let scalar, let u = Unicode.Scalar(scalar) {
                out.append(contentsOf: String(Character(u)).utf8)
                i = semi + 1
            } else {
                out.append(b); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Receives the events of one part. A class, not a protocol: libxml2's callbacks reach it
/// through a plain pointer and a vtable call, with no retain per event.
class XMLPartHandler {
    /// Set by the parser that feeds this handler; the caller keeps the parser alive.
    unowned(unsafe) var parser: XMLStreamParser?
    /// Element depth: libxml2's push parser does not hold documents to its own depth limit.
    @exclusivity(unchecked) final var depth = 0
    static let maxDepth = 256

    func startElement(_ name: XMLName, _ attributes: XMLAttributes) {}
    func endElement(_ name: XMLName) {}
    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}

    /// A handler whose events are many may install callbacks that reach its own final methods
    /// directly (no dynamic dispatch, room to inline); they must keep `enter()` and `leave()`.
    class func installCallbacks(_ sax: inout xmlSAXHandler) {}

    /// Counts one level down; false (and the parse stopped) past the depth limit.
    @inline(__always)
    final func enter() -> Bool {
        depth += 1
        if depth > XMLPartHandler.maxDepth {
            fail(SheetsError(.malformedXML(line: 0, detail: "elements nested deeper than \(XMLPartHandler.maxDepth) levels")))
            return false
        }
        return true
    }

    @inline(__always)
    final func leave() { depth -= 1 }

    /// Stops the parse with an error (content the handler must refuse).
    final func fail(_ error: SheetsError) {
        parser?.fail(error)
    }
}

/// Feeds chunks of one part to libxml2 and forwards its events to a handler.
final class XMLStreamParser {
    /// The only options used: never NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE, HUGE or RECOVER.
    static let options: Int32 = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)

    /// Process-wide set-up, done once: initialise libxml2 and refuse every external load.
    private static let setup: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    private var context: xmlParserCtxtPtr?
    private let handler: XMLPartHandler
    private var failure: SheetsError?
    private var sawDoctype = false
    private var attributeCounter = AttributeCounter()
    private var checkedDeclaration = false

    init(handler: XMLPartHandler) {
        _ = XMLStreamParser.setup
        self.handler = handler
        var sax = xmlSAXHandler()
        sax.initialized = XML_SAX2_MAGIC
        sax.startElementNs = { ctx, local, _, uri, _, _, nbAttributes, _, attributes in
            guard let ctx, let local else { return }
            Unmanaged<XMLPartHandler>.fromOpaque(ctx)._withUnsafeGuaranteedRef {
                guard $0.enter() else { return }
                $0.startElement(XMLName(local: local, uri: uri),
                                XMLAttributes(base: attributes, count: Int(nbAttributes)))
            }
        }
        sax.endElementNs = { ctx, local, _, uri in
            guard let ctx, let local else { return }
            Unmanaged<XMLPartHandler>.fromOpaque(ctx)._withUnsafeGuaranteedRef {
                $0.leave()
                $0.endElement(XMLName(local: local, uri: uri))
            }
        }
        sax.characters = { ctx, ch, len in
            guard let ctx, let ch, len > 0 else { return }
            Unmanaged<XMLPartHandler>.fromOpaque(ctx)._withUnsafeGuaranteedRef {
                $0.characters(UnsafeBufferPointer(start: ch, count: Int(len)))
            }
        }
        sax.cdataBlock = sax.characters
        type(of: handler).installCallbacks(&sax)
        sax.internalSubset = { ctx, _, _, _ in
            guard let ctx else { return }
            let handler = Unmanaged<XMLPartHandler>.fromOpaque(ctx).takeUnretainedValue()
            handler.parser?.refuseDoctype()
        }
        // Swallow libxml2's own error printing; errors are read from the context instead.
        sax.serror = { _, _ in }
        // The handler, not the parser, is libxml2's user data: events go straight to it.
        context = xmlCreatePushParserCtxt(&sax, Unmanaged.passUnretained(handler).toOpaque(), nil, 0, nil)
        if let context {
            xmlCtxtUseOptions(context, XMLStreamParser.options)
        }
        handler.parser = self
    }

    deinit {
        if let context { xmlFreeParserCtxt(context) }
    }


    /// Called by a handler that met content it must refuse; parsing stops at once.
    func fail(_ error: SheetsError) {
        if failure == nil { failure = error }
        stop()
    }

    fileprivate func refuseDoctype() {
        sawDoctype = true
        stop()
    }

    private func stop() {
        if let context { xmlStopParser(context) }
    }

    func feed(_ chunk: UnsafeRawBufferPointer) throws {
        guard let context else { throw SheetsError(.io("the XML parser could not be created")) }
        if !checkedDeclaration {
            checkedDeclaration = true
            try XMLStreamParser.checkDeclaredEncoding(chunk)
        }
        // Before libxml2 sees the bytes: its duplicate-attribute check is quadratic, so one
        // element with 200,000 attributes would cost minutes of CPU inside a single call.
        if !attributeCounter.scan(chunk) {
            throw SheetsError(.malformedXML(line: 0, detail: "an element has more than \(AttributeCounter.maxAttributes) attributes"))
        }
        let rc = chunk.withMemoryRebound(to: CChar.self) { p in
            xmlParseChunk(context, p.baseAddress, Int32(p.count), 0)
        }
        try check(rc)
    }

    func finish() throws {
        guard let context else { throw SheetsError(.io("the XML parser could not be created")) }
        let rc = xmlParseChunk(context, nil, 0, 1)
        try check(rc)
    }

    private func check(_ rc: Int32) throws {
        if sawDoctype { throw SheetsError(.doctype) }
        if let failure { throw failure }
        guard rc != 0 || context?.pointee.wellFormed == 0 else { return }
        var line = 0
        var detail = "not well-formed"
        if let e = xmlCtxtGetLastError(context) {
            line = Int(e.pointee.line)
            if let m = e.pointee.message {
                detail = String(cString: m).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        throw SheetsError(.malformedXML(line: line, detail: detail))
    }

    /// Where an ASCII word first occurs in a text, as Foundation's `range(of:)` finds it: by
    /// bytes when the text is ASCII (an XML declaration always is), else by Foundation.
    static func asciiRange(of word: String, in text: String) -> Range<String.Index>? {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return text.range(of: word) }
        let t = Array(text.utf8), w = Array(word.utf8)
        guard !w.isEmpty, w.count <= t.count else { return nil }
        for i in 0...(t.count - w.count) where t[i..<(i + w.count)].elementsEqual(w) {
            let lower = text.utf8.index(text.utf8.startIndex, offsetBy: i)
            return lower..<text.utf8.index(lower, offsetBy: w.count)
        }
        return nil
    }

    /// OOXML parts are UTF-8 or UTF-16; a declaration naming anything else is refused before
    /// libxml2 would try to convert from it.
    static func checkDeclaredEncoding(_ chunk: UnsafeRawBufferPointer) throws {
        let head = chunk.prefix(200)
        guard head.starts(with: Array("<?xml".utf8)) else { return }
        guard let end = head.firstIndex(of: UInt8(ascii: ">")) else { return }
        let decl = String(decoding: head[head.startIndex..<end], as: UTF8.self).lowercased()
        guard let r = asciiRange(of: "encoding", in: decl) else { return }
        let rest = decl[r.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
        let name = rest.prefix { $0 != "\"" && $0 != "'" && $0 != " " }
        let allowed = ["utf-8", "utf8", "utf-16", "utf-16le", "utf-16be"]
        if !allowed.contains(String(name)) {
            throw SheetsError(.malformedXML(line: 1, detail: "encoding \(name) is not UTF-8 or UTF-16"))
        }
    }
}

extension ZipArchive {
    /// Parses one entry through a handler.
    func parse(_ entry: Entry, with handler: XMLPartHandler, overlapped: Bool = false) throws {
        let p = XMLStreamParser(handler: handler)
        do {
            if overlapped {
                try readOverlapped(entry) { try p.feed($0) }
            } else {
                try read(entry) { try p.feed($0) }
            }
            try p.finish()
        } catch var e as SheetsError {
            if e.entry == nil { e.entry = entry.name }
            if case .malformedXML = e.kind {
                // Damaged bytes usually show as broken XML before the CRC at the end of the
                // entry is reached; read on, so that a damaged file is called damaged.
                do { try read(entry) { _ in } } catch let crc as SheetsError {
                    if case .corrupt = crc.kind { throw SheetsError(crc.kind, entry: entry.name) }
                }
            }
            throw e
        }
    }
}

/// Counts the attributes of each start tag in the bytes about to be parsed, across chunk
/// boundaries: an `=` outside quoted values inside `<name ...>`. No real element has more than
/// a handful (a root element's namespace declarations are the most, about a dozen).
///
/// Counting every byte of a part costs as much as a fifth of libxml2's own parse, so most bytes
/// are not looked at. An element with more than 64 attributes spans at least 328 bytes without
/// a `<` (each attribute needs a space, a name, `=` and two quotes; libxml2 stops at a `<` inside
/// a tag). The scan jumps 256 bytes past each `<` it finds and looks for the next one within 64
/// bytes; a stretch with none may be such an element, and the exact count is then run from the
/// last `<` seen, which lies at or before the element's start, until the stretch is passed. Any
/// element over the limit contains one such stretch, so none gets through (`jump + probe` must
/// stay below 328). A byte `<` means `<` only in UTF-8: a part in UTF-16 or declaring another
/// encoding is counted byte by byte throughout.
struct AttributeCounter {
    static let maxAttributes = 64
    /// Bytes skipped after a `<`, and the window then searched for the next one.
    static let jump = 256, probe = 64

    private enum State: UInt8 { case text, afterOpen, tag, quoted, other }
    private var state = State.text
    private var quote: UInt8 = 0
    private var count = 0
    /// Decided on the first bytes of the part: nil until then.
    private var skipping: Bool?

    /// False as soon as a start tag has more than `maxAttributes` attributes.
    mutating func scan(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self), chunk.count > 0 else { return true }
        let n = chunk.count
        if skipping == nil { skipping = AttributeCounter.isPlainUTF8(UnsafeBufferPointer(start: base, count: n)) }
        guard skipping == true else { return exact(base, from: 0, to: n, handBackAt: Int.max) == n }
        // Where the exact count may start with no state: the start of a part or chunk outside
        // any tag, a `<`, or where the exact count last left off outside any tag.
        var sync = 0
        if state != .text {
            // A tag left open at the end of the last chunk is finished exactly.
            let r = exact(base, from: 0, to: n, handBackAt: 0)
            if r < 0 { return false }
            if r == n { return true }
            sync = r
        }
        var q = sync
        while q + AttributeCounter.probe <= n {
            if let p = memchr(base + q, 0x3C, AttributeCounter.probe) {
                sync = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - base
                q = sync + 1 + AttributeCounter.jump
                continue
            }
            // No `<` in the window: count exactly from the last sync point past the window.
            let r = exact(base, from: sync, to: n, handBackAt: q + AttributeCounter.probe)
            if r < 0 { return false }
            if r == n { return true }
            sync = r
            q = r
        }
        // The chunk's tail: counted exactly, and the state carried into the next chunk.
        return exact(base, from: sync, to: n, handBackAt: Int.max) == n
    }

    /// Counts exactly from `from` (outside any tag, or inside the tag carried in `state`).
    /// Returns the first position at or after `handBackAt` outside any tag, `n` at the end of
    /// the chunk, or -1 when a start tag has too many attributes.
    private mutating func exact(_ base: UnsafePointer<UInt8>, from: Int, to n: Int, handBackAt: Int) -> Int {
        var i = from
        var state = self.state, quote = self.quote, count = self.count
        defer { self.state = state; self.quote = quote; self.count = count }
        while i < n {
            switch state {
            case .text:
                if i >= handBackAt { return i }
                // Text is skipped wholesale up to the next `<`.
                guard let p = memchr(base + i, 0x3C, n - i) else { return n }
                i = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - base + 1
                state = .afterOpen
                continue
            case .afterOpen:
                let b = base[i]
                // `</x>`, `<!-- -->`, `<?pi?>`: nothing to count up to their `>`.
                state = b == 0x2F || b == 0x21 || b == 0x3F ? .other : .tag
                count = 0
            case .tag:
                let b = base[i]
                if b == 0x3E { state = .text }
                else if b == 0x22 || b == 0x27 { quote = b; state = .quoted }
                else if b == 0x3D {
                    count += 1
                    if count > AttributeCounter.maxAttributes { return -1 }
                }
            case .quoted:
                // The closing quote, found wholesale.
                guard let p = memchr(base + i, Int32(quote), n - i) else { return n }
                i = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - base + 1
                state = .tag
                continue
            case .other:
                guard let p = memchr(base + i, 0x3E, n - i) else { return n }
                i = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - base + 1
                state = .text
                continue
            }
            i += 1
        }
        return n
    }

    /// True when libxml2 will read the part as UTF-8, where a byte `<` is always `<`: no UTF-16,
    /// UCS-4 or EBCDIC signature in the first bytes, and no declaration of another encoding.
    static func isPlainUTF8(_ head: UnsafeBufferPointer<UInt8>) -> Bool {
        var p = head[...]
        if p.starts(with: [0xEF, 0xBB, 0xBF]) { p = p.dropFirst(3) }
        guard p.count >= 4, !p.prefix(4).contains(0), p.first! < 0x80,
              !p.starts(with: [0x4C, 0x6F, 0xA7, 0x94]) else { return false }
        guard p.starts(with: Array("<?xml".utf8)) else { return true }
        let decl = p.prefix(200)
        guard let end = decl.firstIndex(of: UInt8(ascii: ">")) else { return false }
        let text = String(decoding: decl[..<end], as: UTF8.self).lowercased()
        guard let r = XMLStreamParser.asciiRange(of: "encoding", in: text) else { return true }
        let rest = text[r.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
        let name = rest.prefix { $0 != "\"" && $0 != "'" && $0 != " " }
        return name == "utf-8" || name == "utf8"
    }
}

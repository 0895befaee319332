// A streaming XML reader on libxml2's SAX2 push parser, locked down for untrusted parts:
// no DTD, no entity substitution, no network; a part that declares a DOCTYPE is refused.
import CLibXML2
import Foundation

/// An element name as libxml2 hands it over: local name and namespace URI, compared as bytes.
struct XMLName {
    let local: UnsafePointer<UInt8>
    let uri: UnsafePointer<UInt8>?

    @inline(__always)
    func `is`(_ name: StaticString) -> Bool {
        strcmp(UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self),
               UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
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
                $0.depth += 1
                if $0.depth > XMLPartHandler.maxDepth {
                    $0.fail(SheetsError(.malformedXML(line: 0, detail: "elements nested deeper than \(XMLPartHandler.maxDepth) levels")))
                    return
                }
                $0.startElement(XMLName(local: local, uri: uri),
                                        XMLAttributes(base: attributes, count: Int(nbAttributes)))
            }
        }
        sax.endElementNs = { ctx, local, _, uri in
            guard let ctx, let local else { return }
            Unmanaged<XMLPartHandler>.fromOpaque(ctx)._withUnsafeGuaranteedRef {
                $0.depth -= 1
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

    /// OOXML parts are UTF-8 or UTF-16; a declaration naming anything else is refused before
    /// libxml2 would try to convert from it.
    static func checkDeclaredEncoding(_ chunk: UnsafeRawBufferPointer) throws {
        let head = chunk.prefix(200)
        guard head.starts(with: Array("<?xml".utf8)) else { return }
        guard let end = head.firstIndex(of: UInt8(ascii: ">")) else { return }
        let decl = String(decoding: head[head.startIndex..<end], as: UTF8.self).lowercased()
        guard let r = decl.range(of: "encoding") else { return }
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
struct AttributeCounter {
    static let maxAttributes = 64

    private enum State: UInt8 { case text, afterOpen, tag, quoted, other }
    private var state = State.text
    private var quote: UInt8 = 0
    private var count = 0

    /// False as soon as a start tag has more than `maxAttributes` attributes.
    mutating func scan(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        let n = chunk.count
        var i = 0
        var state = self.state, quote = self.quote, count = self.count
        defer { self.state = state; self.quote = quote; self.count = count }
        while i < n {
            switch state {
            case .text:
                // Text is skipped wholesale up to the next `<`.
                guard let p = memchr(base + i, 0x3C, n - i) else { return true }
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
                    if count > AttributeCounter.maxAttributes { return false }
                }
            case .quoted:
                // The closing quote, found wholesale.
                guard let p = memchr(base + i, Int32(quote), n - i) else { return true }
                i = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - base + 1
                state = .tag
                continue
            case .other:
                guard let p = memchr(base + i, 0x3E, n - i) else { return true }
                i = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - base + 1
                state = .text
                continue
            }
            i += 1
        }
        return true
    }
}

// Small pieces the part handlers share: the text buffer rules of `<t>` and the escapes of
// OOXML strings.
import Foundation

/// Collects the characters of the elements a handler cares about into one reused buffer,
/// capped so that a hostile text node cannot grow it without bound. A class owning raw memory,
/// not an array: it is filled and emptied for every cell, and an array's uniqueness and
/// generic range checks cost more than the bytes themselves.
final class TextCollector {
    @exclusivity(unchecked) private var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) var active = false
    @exclusivity(unchecked) private(set) var overflow = false
    let cap: Int

    init(cap: Int) {
        self.cap = cap
        capacity = 256
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    var isEmpty: Bool { count == 0 }

    /// The bytes collected so far; valid until the next change.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    func append(_ p: UnsafeBufferPointer<UInt8>) {
        guard active, let src = p.baseAddress else { return }
        let n = p.count
        if count + n > cap { overflow = true; return }
        if count + n > capacity { grow(to: count + n) }
        let dst = UnsafeMutableRawPointer(base + count)
        let from = UnsafeRawPointer(src)
        // Most values are a few bytes: two overlapping word copies cost less than a call to
        // memcpy. Every load stays inside the source.
        if n >= 8 && n <= 16 {
            let a = from.loadUnaligned(as: UInt64.self)
            let b = from.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
            dst.storeBytes(of: a, as: UInt64.self)
            dst.storeBytes(of: b, toByteOffset: n &- 8, as: UInt64.self)
        } else if n >= 4 && n < 8 {
            let a = from.loadUnaligned(as: UInt32.self)
            let b = from.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
            dst.storeBytes(of: a, as: UInt32.self)
            dst.storeBytes(of: b, toByteOffset: n &- 4, as: UInt32.self)
        } else if n < 4 {
            var k = 0
            while k < n { dst.storeBytes(of: src[k], toByteOffset: k, as: UInt8.self); k &+= 1 }
        } else {
            dst.copyMemory(from: from, byteCount: n)
        }
        count += n
    }

    private func grow(to needed: Int) {
        var c = capacity
        while c < needed { c *= 2 }
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        new.update(from: base, count: count)
        base.deallocate()
        base = new
        capacity = c
    }

    @inline(__always)
    func reset() {
        count = 0
        overflow = false
    }

    /// Trims XML white space from the bytes from `start` on, as readers do for `<t>` without
    /// `xml:space="preserve"`.
    func trimTail(from start: Int) {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        var end = count
        while end > start, isSpace(base[end - 1]) { end -= 1 }
        var s = start
        while s < end, isSpace(base[s]) { s += 1 }
        if s > start {
            // Moving down within the buffer: a forward copy never reads a byte already written.
            for k in 0..<(end - s) { base[start + k] = base[s + k] }
        }
        count = start + (end - s)
    }
}

extension XMLAttributes {
    /// True for `xml:space="preserve"` (the `xml` namespace is implicit, so match the local name).
    var preservesSpace: Bool {
        guard let base else { return false }
        for i in 0..<count {
            let a = base + i * 5
            guard let name = a[0], strcmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), "space") == 0,
                  let s = a[3], let e = a[4] else { continue }
            return UnsafeBufferPointer(start: s, count: e - s).elementsEqual("preserve".utf8)
        }
        return false
    }
}

enum OOXMLText {
    /// Decodes the `_xHHHH_` escapes OOXML uses for characters XML cannot carry
    /// (`_x000D_` is a carriage return, `_x005F_` a literal underscore).
    static func decode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    /// The common case in one pass over the bytes: no `_x` escape and nothing NFC would
    /// change, so the text is made once and returned as it is.
    static func decode(_ p: UnsafeBufferPointer<UInt8>) -> String {
        if p.count < 7 || !p.contains(UInt8(ascii: "_")) {
            let s = String(decoding: p, as: UTF8.self)
            return NFC.isSurelyNFC(p) ? s : s.precomposedStringWithCanonicalMapping
        }
        return decodeEscapes(Array(p))
    }

    static func decodeEscapes(_ bytes: [UInt8]) -> String {
        var units: [UInt16] = []
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func hex(_ b: UInt8) -> UInt16? {
            switch b {
            case 0x30...0x39: return UInt16(b - 0x30)
            case 0x41...0x46: return UInt16(b - 0x41 + 10)
            case 0x61...0x66: return UInt16(b - 0x61 + 10)
            default: return nil
            }
        }
        func flushUnits() {
            guard !units.isEmpty else { return }
            out.append(contentsOf: Array(String(decoding: units, as: UTF16.self).utf8))
            units.removeAll()
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "_"), i + 6 < bytes.count,
               bytes[i + 1] == UInt8(ascii: "x") || bytes[i + 1] == UInt8(ascii: "X"),
               bytes[i + 6] == UInt8(ascii: "_"),
               let a = hex(bytes[i + 2]), let b = hex(bytes[i + 3]), let c = hex(bytes[i + 4]), let d = hex(bytes[i + 5]) {
                units.append(a << 12 | b << 8 | c << 4 | d)
                i += 7
                continue
            }
            flushUnits()
            out.append(bytes[i])
            i += 1
        }
        flushUnits()
        return NFC.normalize(String(decoding: out, as: UTF8.self))
    }
}

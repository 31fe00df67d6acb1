internal import CLibXML2

/// Conversions between Swift strings and libxml2's `xmlChar` strings.
enum XMLString {
    /// Takes ownership of a string libxml2 allocated for the caller: copies it and frees it.
    static func take(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String? {
        guard let pointer else { return nil }
        defer { vnet_xml_free(pointer) }
        return String(cString: pointer)
    }

    /// Copies a string that libxml2 keeps owning, such as a node name.
    static func borrow(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// Calls `body` with `string` as a NUL-terminated `xmlChar` string.
    static func with<R>(_ string: String, _ body: (UnsafePointer<xmlChar>) throws -> R) rethrows -> R {
        try string.withCString { pointer in
            try body(UnsafeRawPointer(pointer).assumingMemoryBound(to: xmlChar.self))
        }
    }

    /// Like `with(_:_:)`, passing nil for a nil string.
    static func withOptional<R>(_ string: String?, _ body: (UnsafePointer<xmlChar>?) throws -> R) rethrows -> R {
        guard let string else { return try body(nil) }
        return try with(string) { try body($0) }
    }
}

import CLibvirt
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

// The one place that turns a failed libvirt call into a `LibvirtError`. Each helper must run
// right after the call, on the same thread: libvirt keeps the last error per thread.

/// Returns the result of a libvirt call that signals failure with a negative value.
@discardableResult
func check(_ result: Int32, _ call: StaticString) throws(LibvirtError) -> Int32 {
    RoundTrips.record(call)
    guard result >= 0 else { throw LibvirtError.takeLast(failedCall: call) }
    return result
}

/// Returns the result of a libvirt call that signals failure with `NULL`.
func check<Pointer>(_ result: Pointer?, _ call: StaticString) throws(LibvirtError) -> Pointer {
    RoundTrips.record(call)
    guard let result else { throw LibvirtError.takeLast(failedCall: call) }
    return result
}

/// Copies a string that a libvirt call handed over to its caller, then frees it.
func takeString(_ result: UnsafeMutablePointer<CChar>?, _ call: StaticString) throws(LibvirtError) -> String {
    let string = try check(result, call)
    defer { free(string) }
    return String(cString: string)
}

/// Copies a string that a libvirt struct owns, mapping `NULL` to `nil`.
func copyString(_ string: UnsafePointer<CChar>?) -> String? {
    string.map { String(cString: $0) }
}

/// Reads a UUID through a libvirt call that fills a 16-byte buffer.
func readUUID(_ call: StaticString, _ fill: (UnsafeMutablePointer<UInt8>) -> Int32) throws(LibvirtError) -> UUID {
    var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    let result = withUnsafeMutableBytes(of: &bytes) { fill($0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
    try check(result, call)
    return UUID(uuid: bytes)
}

extension LibvirtError {
    /// Takes the calling thread's last libvirt error and clears it.
    static func takeLast(failedCall call: StaticString) -> LibvirtError {
        defer { virResetLastError() }
        guard let error = virGetLastError()?.pointee else {
            return LibvirtError(code: .internalError, domain: .none, message: "\(call) failed without reporting an error")
        }
        return LibvirtError(
            code: Code(rawValue: error.code),
            domain: ErrorDomain(rawValue: error.domain),
            message: copyString(error.message) ?? "\(call) failed"
        )
    }
}

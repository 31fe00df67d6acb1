internal import CLibXML2

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The process-wide libxml2 set-up that every entry point of this module goes through.
///
/// libxml2 is initialised once and never cleaned up, because libvirt shares the library.
/// Errors are collected per call through structured handlers; what libxml2 would still print
/// through its generic handler goes to `/dev/null`. That handler lives in per-thread state in
/// libxml2 2.9, so `enter()` sets it for the calling thread as well as the default for new threads.
enum LibXMLRuntime {
    private nonisolated(unsafe) static let discard: UnsafeMutableRawPointer? = {
        UnsafeMutableRawPointer(fopen("/dev/null", "w"))
    }()

    private static let initialized: Void = {
        xmlInitParser()
        xmlThrDefSetGenericErrorFunc(discard, nil)
    }()

    /// Makes libxml2 ready for use on the calling thread.
    static func enter() {
        _ = initialized
        xmlSetGenericErrorFunc(discard, nil)
    }
}

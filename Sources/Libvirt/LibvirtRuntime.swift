import CLibvirt
import Foundation

/// The process-wide libvirt setup every connection needs, done once.
enum LibvirtRuntime {
    /// The outcome of the setup, which runs the first time this is read.
    ///
    /// The event loop must be registered before the first connection opens, or that connection
    /// never delivers events; the no-op error handler stops libvirt printing errors to stderr.
    static let started: Result<Void, LibvirtError> = Result { () throws(LibvirtError) in
        try check(virInitialize(), "virInitialize")
        virSetErrorFunc(nil) { _, _ in }
        try check(virEventRegisterDefaultImpl(), "virEventRegisterDefaultImpl")
        let eventLoop = Thread {
            while true {
                virEventRunDefaultImpl()
            }
        }
        eventLoop.name = "libvirt-event-loop"
        eventLoop.start()
    }
}

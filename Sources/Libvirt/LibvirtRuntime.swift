import CLibvirt
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process-wide libvirt setup every connection needs, done once.
enum LibvirtRuntime {
    /// The outcome of the setup, which runs the first time this is read.
    ///
    /// The event loop must be registered before the first connection opens, or that connection
    /// never delivers events; the no-op error handler stops libvirt printing errors to stderr.
    /// Nothing runs the loop until the first subscription (`runEventLoop`): without one,
    /// a command's calls do their own I/O and no thread is started.
    ///
    /// A call written to a connection whose other end went away raises SIGPIPE, which by default
    /// kills the process before libvirt can report the lost connection; as virsh does, SIGPIPE is
    /// ignored, unless the process already handles it itself.
    static let started: Result<Void, LibvirtError> = Result { () throws(LibvirtError) in
        try check(virInitialize(), "virInitialize")
        // `signal` returns nil for the default disposition; anything else is put back.
        if let previous = signal(SIGPIPE, SIG_IGN) { signal(SIGPIPE, previous) }
        virSetErrorFunc(nil) { _, _ in }
        try check(virEventRegisterDefaultImpl(), "virEventRegisterDefaultImpl")
    }

    /// Starts the thread that runs libvirt's event loop, the first time this is read.
    static let eventLoopRunning: Void = {
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { _ in
            while true {
                virEventRunDefaultImpl()
            }
        }, nil)
        precondition(status == 0, "cannot start libvirt's event loop thread: error \(status)")
        pthread_detach(thread)
    }()

    /// Makes sure libvirt's event loop runs, so that callbacks registered on a connection fire.
    static func runEventLoop() {
        eventLoopRunning
    }
}

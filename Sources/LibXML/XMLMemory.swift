internal import CLibXML2

/// The memory that parsed trees leave behind.
public enum XMLMemory {
    /// Gives the free pages of every malloc arena back to the system.
    ///
    /// Each thread that parses allocates from a malloc arena of its own, and what it freed (the
    /// XML it read, the trees it built) stays resident there, where another thread's later work
    /// cannot reuse it. After parsing many documents on many threads, this keeps a process's peak
    /// from being the sum of the two.
    public static func releaseFreed() {
        vnet_release_freed_memory()
    }
}

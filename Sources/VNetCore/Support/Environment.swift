#if canImport(Glibc)
import Glibc
#endif

/// The process's environment variables, read one at a time.
///
/// `ProcessInfo.processInfo.environment` copies the whole environment into a dictionary
/// (0.37 M instructions on first use); a command that asks for one variable needs only `getenv`.
public enum Environment {
    /// The value of the variable `name`, or nil when it is not set.
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

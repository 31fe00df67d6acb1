/// Facts about vnetctl itself that it records in what it defines and reports in `vnetctl version`.
public enum ToolInfo {
    /// The tool's version, written into the metadata of every object vnetctl defines.
    public static let version = "0.1.0"
}

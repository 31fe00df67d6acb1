/// Parses memory sizes as users write them: `256MiB`, `1GiB`, `512M`, `2G`, or plain MiB.
public enum MemorySize {
    /// The size in MiB.
    public static func mebibytes(_ text: String) throws(VNetError) -> Int {
        let units: [(String, Int)] = [("GiB", 1024), ("MiB", 1), ("G", 1024), ("M", 1), ("", 1)]
        for (unit, factor) in units where text.hasSuffix(unit) {
            if let number = Int(text.dropLast(unit.count)), number > 0 {
                let (size, overflow) = number.multipliedReportingOverflow(by: factor)
                if !overflow { return size }
            }
            break
        }
        throw .invalid(.memory, "'\(text)' is not a size; use a number with MiB or GiB, like 256MiB")
    }
}

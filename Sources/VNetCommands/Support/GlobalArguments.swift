/// Lets the global options come before the command, as in `vnetctl -c URI --json list`.
///
/// ArgumentParser only accepts a command's options after the command's name, so options given
/// before the first command word are moved behind the command's own arguments (before any `--`),
/// where every command (which includes `GlobalOptions`) takes them. `--hosts FILE` moves too; the
/// commands that read several hosts take it, the others refuse it as unknown.
enum GlobalArguments {
    static func hoisted(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--json" || argument.hasPrefix("--connect=") || argument.hasPrefix("--lock-timeout=")
                || argument.hasPrefix("--hosts=")
            {
                leading.append(argument)
            } else if ["-c", "--connect", "--lock-timeout", "--hosts"].contains(argument), index + 1 < arguments.endIndex {
                leading.append(contentsOf: arguments[index...index + 1])
                index += 1
            } else {
                break
            }
            index += 1
        }
        // Options must stay before a `--`, after which everything is a positional argument.
        var rest = Array(arguments[index...])
        rest.insert(contentsOf: leading, at: rest.firstIndex(of: "--") ?? rest.endIndex)
        return rest
    }
}

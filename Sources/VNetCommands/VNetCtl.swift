import ArgumentParser
import FoundationEssentials
import Libvirt
import VNetCore

/// The `vnetctl` command tree.
public struct VNetCtl: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vnetctl",
        abstract: "Define libvirt networks (isolated, routed, NAT, bridged) and VMs with unique MACs.",
        discussion: """
            Exit codes: 0 done; 1 libvirt or host failure; 2 invalid input (nothing was changed). \
            The connection URI is --connect, else LIBVIRT_DEFAULT_URI, else libvirt's default.
            """,
        version: ToolInfo.version,
        subcommands: [
            DefineCommand.self, StartCommand.self, StopCommand.self, UndefineCommand.self,
            ListCommand.self, ShowCommand.self, LeasesCommand.self, DumpXMLCommand.self,
            ApplyCommand.self, TeardownCommand.self, GraphCommand.self, MACsCommand.self, LeftoversCommand.self, ValidateCommand.self, TemplatesCommand.self, VersionCommand.self,
            HostBridgeCommand.self, ForwardsCommand.self,
        ]
    )

    public init() {}

    /// Parses `arguments`, runs the command and returns the process exit code; with one argument
    /// that is a file of JSON module arguments, runs as an Ansible module instead.
    ///
    /// Unlike ArgumentParser's own `main`, a usage error exits 2 (invalid input, per vnetctl's
    /// contract) with one line on stderr, and `--json` errors are also printed as JSON on stdout.
    ///
    /// With `VNETCTL_DEBUG_ROUNDTRIPS=1` in the environment, a line on stderr counts the command's
    /// libvirt round trips and names every object whose XML it fetched more than once.
    ///
    /// The command runs on the calling thread; only one that waits for events starts Swift's
    /// concurrency threads (`BlockingWait`).
    public static func run(arguments: [String]) -> Int32 {
        let status = runCommand(arguments: arguments)
        if Environment.value("VNETCTL_DEBUG_ROUNDTRIPS") == "1" {
            StandardStreams.writeError("\(RoundTrips.summary)\n")
        }
        return status
    }

    private static func runCommand(arguments: [String]) -> Int32 {
        if let moduleArguments = AnsibleModule.arguments(from: arguments) {
            return AnsibleModule.run(moduleArguments)
        }
        if arguments == ["--version"] {
            // What ArgumentParser prints for it, without its parse: that costs more than the rest of the process.
            print(configuration.version)
            return 0
        }
        let json = arguments.contains("--json")
        let command: any ParsableCommand
        do {
            command = try parseAsRoot(GlobalArguments.hoisted(arguments))
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                return 0
            }
            var reason = message(for: error)
            while reason.hasSuffix(".") { reason.removeLast() }
            ErrorReport.emit(.invalidInput("\(reason); see 'vnetctl help'"), json: json)
            return 2
        }
        do {
            var command = command
            try command.run()
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch where exitCode(for: error) == .success {
            print(fullMessage(for: error))
            return 0
        } catch let error as ValidationError {
            ErrorReport.emit(.invalidInput(error.message), json: json)
            return 2
        } catch {
            let failure = VNetError.from(error)
            ErrorReport.emit(failure, json: json)
            return failure.exitCode
        }
    }
}

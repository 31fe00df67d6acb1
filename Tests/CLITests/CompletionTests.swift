import Foundation
import Testing
import TestSupport
@testable import VNetCommands

/// The bash completion script argument-parser generates, fed partial names the way bash does:
/// it runs `vnetctl ---completion`, which asks libvirt (here `test:///default`, whose network is
/// `default` and whose VM is `test`) for the names.
@Suite(.onTestThreads) struct CompletionTests {
    static let script: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-completion-\(getpid()).bash").path
        let text = (try? VNetCtlBinary.run(["--generate-completion-script", "bash"]).stdout) ?? ""
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }()

    /// What bash's completion function offers for the command line `words`, the last one being
    /// completed.
    static func complete(_ words: [String], environment: [String: String] = [:]) throws -> [String] {
        let binary = VNetCtlBinary.path
        let quoted = ([binary] + words).map { "'\($0)'" }.joined(separator: " ")
        let program = """
            source '\(script)'
            COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count)
            COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
            _vnetctl '\(binary)' "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try Command.run(["bash", "-c", program], environment: environment)
        #expect(result.status == 0, "\(result)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    static let testDriver = ["LIBVIRT_DEFAULT_URI": "test:///default"]

    @Test(arguments: [
        (["leases", "def"], ["default"]),
        (["show", "network", "d"], ["default"]),
        (["show", "vm", "te"], ["test"]),
        (["start", "network", "de"], ["default"]),
        (["dumpxml", "vm", ""], ["test"]),
        (["define", "vm", "web1", "--network", "def"], ["default"]),
        (["leases", "nomatch"], []),
    ])
    func completesNamesFromLibvirt(words: [String], expected: [String]) throws {
        #expect(try Self.complete(words, environment: Self.testDriver) == expected)
    }

    @Test(arguments: [
        (["-c", "test:///default", "leases", "de"], "test:///default"),
        (["--connect", "qemu:///system", "show", "vm", ""], "qemu:///system"),
        (["--connect=test:///default", "list"], "test:///default"),
        (["leases", "de"], nil),
    ] as [([String], String?)])
    func theURIComesFromTheCommandLine(words: [String], uri: String?) {
        #expect(Completions.uri(in: words) == uri)
    }

    @Test func templatesAndModelsComplete() throws {
        #expect(try Self.complete(["define", "vm", "web1", "--template", ""], environment: Self.testDriver) == ["disk", "pxe"])
        #expect(try Self.complete(["define", "network", "n", "--model", "n"]) == ["nat"])
    }
}

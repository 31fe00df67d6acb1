import Testing
@testable import VNetCommands
import VNetCore

/// What the leftover scan cannot tell: the library names each limit in neutral words, and
/// `vnetctl leftovers` words it with the commands and flags of the command line.
@Suite struct LeftoversLimitTests {
    @Test func theCommandLineWordsEachLimitWithItsCommands() {
        #expect(LeftoversCommand.limits == [
            "a reservation made with 'define network --host' for a VM not defined yet looks the same as one a cut-off 'define vm' left",
            "a user's own qcow2 volume named VM.qcow2 with a backing file and no domain named VM looks like an overlay",
            "a bridge made with --persist none has no marked file and is not seen; on a remote connection no bridge is seen",
        ])
    }

    @Test(arguments: Leftovers.Limit.allCases)
    func theLibraryNamesNoCommandOrFlag(_ limit: Leftovers.Limit) {
        #expect(!limit.description.contains(" '"), "\(limit.description)")
        #expect(!limit.description.contains("--"), "\(limit.description)")
        #expect(!limit.description.contains("vnetctl"), "\(limit.description)")
    }
}

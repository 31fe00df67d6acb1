import Testing
import VNetCore

/// `--set` keys are the names the chosen template's tags use; any other key is refused with the
/// nearest one, because a template would ignore it silently.
struct TemplateKeysTests {
    @Test func namesAreEveryTagsNameWithoutCommentsPartialsAndTheIterator() {
        let text = "<a x='{{bridge.stp}}'>{{#disk.seed}}{{{raw}}}{{&amp}}{{/disk.seed}}{{^none}}{{.}}{{/none}}{{! note}}{{> part}}{{ spaced }}</a>"
        #expect(TemplateKeys.names(in: text) == ["amp", "bridge.stp", "disk.seed", "none", "raw", "spaced"])
    }

    @Test(arguments: [
        (TemplateLibrary.Kind.network, "nat", "brdige.stp", "did you mean 'bridge.stp'?"),
        (.network, "isolated", "bridge.dealy", "did you mean 'bridge.delay'?"),
        (.domain, "pxe", "virtTpye", "did you mean 'virtType'?"),
        (.domain, "pxe", "disk.base", "template pxe uses no such key"),
        (.domain, "disk", "disk.pol", "did you mean 'disk.pool'?"),
    ])
    func unknownKeysAreRefusedWithTheNearest(kind: TemplateLibrary.Kind, template: String, key: String, expected: String) throws {
        let source = try TemplateLibrary.builtIn.source(kind, template)
        let error = #expect(throws: VNetError.self) { try TemplateKeys.check([key: "x"], against: source) }
        #expect(error?.kind == .invalidInput)
        #expect(error?.message.hasPrefix("setting \(key): ") == true, "\(String(describing: error))")
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
        #expect(error?.message.contains("\n") == false)
    }

    @Test(arguments: [
        (TemplateLibrary.Kind.network, "nat", ["bridge.stp": "on", "bridge.delay": "2"]),
        (.domain, "pxe", ["virtType": "qemu"]),
        (.domain, "disk", ["disk.base": "/b.qcow2", "disk.seed": "/s.iso", "disk.pool": "p", "disk.transient": "true"]),
    ])
    func keysTheTemplateUsesAreAccepted(kind: TemplateLibrary.Kind, template: String, settings: [String: String]) throws {
        let source = try TemplateLibrary.builtIn.source(kind, template)
        try TemplateKeys.check(settings, against: source)
    }
}

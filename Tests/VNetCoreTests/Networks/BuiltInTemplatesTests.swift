import Foundation
import Testing
import VNetCore

/// The templates built into the binary by the EmbedTemplates plugin are the files of
/// `Sources/VNetCore/Templates`, byte for byte, under the same names.
struct BuiltInTemplatesTests {
    @Test(arguments: TemplateLibrary.Kind.allCases)
    func builtInTemplatesAreTheShippedFiles(kind: TemplateLibrary.Kind) throws {
        let files = TemplateLibrary(directory: TemplateRenderingTests.templateDirectory)
        let builtIn = TemplateLibrary.builtIn
        #expect(!files.entries(kind).isEmpty)
        #expect(builtIn.entries(kind).map(\.name) == files.entries(kind).map(\.name))
        for entry in files.entries(kind) {
            let embedded = try builtIn.source(kind, entry.name)
            #expect(embedded.path == "built-in:\(kind.rawValue)/\(entry.name).xml.mustache")
            #expect(Data(embedded.text.utf8) == FileManager.default.contents(atPath: entry.path), "\(entry.name)")
        }
    }

    @Test func anUnknownNameListsTheBuiltInOnes() {
        let error = #expect(throws: VNetError.self) { try TemplateLibrary.builtIn.source(.network, "banana") }
        #expect(error?.kind == .invalidInput)
        #expect(error?.message.contains("shipped ones are bridged, isolated, nat, open, routed") == true, "\(String(describing: error))")
    }
}

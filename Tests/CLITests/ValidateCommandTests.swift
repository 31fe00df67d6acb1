import Foundation
import Testing
import TestSupport

/// `vnetctl validate` agrees with `virt-xml-validate` on the committed corpus and names each line.
@Suite(.onTestThreads) struct ValidateCommandTests {
    static let corpus: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LibXMLTests/Fixtures/validate")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? [])
            .filter { $0.hasSuffix(".xml") }.sorted()
    }

    @Test func corpusIsLargeAndBalanced() {
        let files = Self.files
        #expect(files.count >= 20)
        #expect(files.filter { $0.hasSuffix("-invalid.xml") }.count * 2 >= files.count)
    }

    @Test(arguments: files)
    func agreesWithVirtXMLValidate(_ name: String) throws {
        let path = Self.corpus.appendingPathComponent(name).path
        let ours = try VNetCtlBinary.run(["validate", path])
        let theirs = try Command.run(["virt-xml-validate", path])
        #expect((ours.status == 0) == (theirs.status == 0), "vnetctl: \(ours)\nvirt-xml-validate: \(theirs)")
        #expect((ours.status == 0) == name.hasSuffix("-valid.xml"))
        if ours.status != 0 {
            #expect(ours.status == 1)
            let problems = ours.stdout.split(separator: "\n")
            #expect(!problems.isEmpty)
            for problem in problems {
                #expect(problem.hasPrefix("\(path):"), "\(problem)")
                let line = problem.dropFirst(path.count + 1).prefix { $0.isNumber }
                #expect(Int(line).map { $0 > 0 } == true, "no line number in: \(problem)")
            }
        }
    }

    @Test func manyFilesOneVerdict() throws {
        let paths = Self.files.map { Self.corpus.appendingPathComponent($0).path }
        let result = try VNetCtlBinary.run(["--json", "validate"] + paths)
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let reports = try #require(object["files"] as? [[String: Any]])
        #expect(reports.count == paths.count)
    }
}

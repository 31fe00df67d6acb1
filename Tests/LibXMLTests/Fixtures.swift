import Foundation

/// The files under `Fixtures/`, copied into the test bundle as a folder.
enum Fixtures {
    static let directory: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("the Fixtures folder is missing from the LibXMLTests bundle")
        }
        return url
    }()

    /// The path of `Fixtures/validate/NAME`.
    static func validationFile(_ name: String) -> String {
        directory.appending(path: "validate").appending(path: name).path
    }

    /// The names of every file in `Fixtures/validate`, sorted.
    static let validationFiles: [String] = {
        let folder = directory.appending(path: "validate").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".xml") }.sorted()
    }()
}

import Foundation
import VNetCommands

@main
enum VNetCtlMain {
    static func main() {
        exit(VNetCtl.run(arguments: Array(CommandLine.arguments.dropFirst())))
    }
}
